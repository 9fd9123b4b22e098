from scratch
env password=x
