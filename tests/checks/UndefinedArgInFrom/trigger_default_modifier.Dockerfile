FROM ${IMAGE:-scratch}
