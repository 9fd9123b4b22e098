FROM scratch
ENV sunflower=foo PUBLIC_KEY=abc
ARG public_token
ARG MY-SECRET
ENV SECRETS=1 KEYCLOAK_URL=x
