from scratch
cmd mycommand
