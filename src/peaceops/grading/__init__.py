"""Trusted grading: scores come from the saved answers, computed outside the learner's kernel."""
