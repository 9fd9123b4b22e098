FROM scratch
RUN echo a \
  	 
    && echo b \
   
    && echo c
