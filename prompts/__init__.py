"""The prompt files (*.md): package data of the package service.prompts in the wheel."""
