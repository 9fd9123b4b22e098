from scratch AS base
from scratch as base2
