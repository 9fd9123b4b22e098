import express from "express";
import helmet from "helmet";
import { ordersRouter } from "./routes/orders";

export function createApp() {
  const app = express();
  app.use(helmet());
  app.use(express.json({ limit: "100kb" }));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use("/orders", ordersRouter);
  return app;
}
