"""`peaceops bank audit`: checks that a graded bank measures knowledge, not test-taking.

The figures come from each kind's own `audit` hook; this package adds the statistics
shared by all of them (`stats`) and the command line (`cli`). `meaning` finds near-duplicates
by meaning (sentence embeddings from `embed`, of the texts that `texts` gathers)."""
