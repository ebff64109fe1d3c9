"""Names of the files grading writes in the course directory (no heavy imports here)."""

#: Written beside each graded notebook (autograded/<student>/<assignment>/).
REPORT = "peaceops-grading.json"
#: The attempts ledger that `peaceops grade` appends to, one JSON object per line.
ATTEMPTS = "peaceops-attempts.jsonl"
