"""Rule authoring: lint a team's pack for the pattern notation's traps, and run its rules' examples like tests."""
