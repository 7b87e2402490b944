"""The package list, which pyproject.toml cannot compute: every package under service/, plus the
top-level prompts/ folder shipped inside the wheel as the package service.prompts (its *.md files
are package data, see pyproject.toml), so that installed code finds the prompts with
importlib.resources, editable or not. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["service", "service.*"]), "service.prompts"],
    package_dir={"service.prompts": "prompts"},
)
