FROM scratch
CMD ["a"]
RUN echo hi
CMD ["b"]
CMD ["c"]
