export NODE_ENV=production
