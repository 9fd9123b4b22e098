FROM --platform="linux/arm64" scratch AS builder
