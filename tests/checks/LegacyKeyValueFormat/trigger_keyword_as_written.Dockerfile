from scratch
env testkey value
