FROM scratch AS Context
