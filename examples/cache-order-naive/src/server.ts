import { createApp } from "./app";
import { config } from "./config";
import { logger } from "./logger";

const app = createApp();

const server = app.listen(config.port, () => {
  logger.info({ port: config.port }, "orders-api listening");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    logger.info({ signal }, "shutting down");
    server.close(() => process.exit(0));
  });
}
