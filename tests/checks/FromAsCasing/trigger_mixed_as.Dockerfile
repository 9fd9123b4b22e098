FROM scratch As base
