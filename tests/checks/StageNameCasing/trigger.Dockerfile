FROM scratch AS BadStageName
