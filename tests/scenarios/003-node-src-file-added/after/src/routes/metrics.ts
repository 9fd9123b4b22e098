import { Router } from "express";

export const metricsRouter = Router();
metricsRouter.get("/", (_req, res) => res.type("text/plain").send("up 1\n"));
