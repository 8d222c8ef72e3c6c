"""Training new agents: realistic scenarios, graded answers, progress over time.

A team lead's loop: an agent answers a scenario (a customer's message and
the facts an agent would have), replylint grades the answer against what the
scenario needs, every attempt is stored, and history and a report show
progress. `scenarios` loads the YAML files, `grading` scores an answer,
`history` keeps attempts in SQLite, `report` draws the team lead's page,
`drills` turns rule examples into one-sentence exercises, `session` is the
interactive terminal loop and `commands` the `replylint train` CLI.
"""
