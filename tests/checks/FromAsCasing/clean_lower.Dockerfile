from scratch as base
copy a /a
