"""The eval runner: golden data, scores, and (later) the CI gate and reports."""
