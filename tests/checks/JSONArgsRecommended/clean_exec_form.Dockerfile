FROM scratch
RUN echo shell-form RUN is not checked
CMD ["mycommand"]
ENTRYPOINT ["/bin/app", "--flag"]
