FROM scratch AS Builder
FROM scratch AS base
COPY --from=builder /a /b
