import { z } from "zod";

const Env = z.object({
  PORT: z.coerce.number().int().positive().default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  ORDERS_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
});

const env = Env.parse(process.env);

export const config = {
  port: env.PORT,
  logLevel: env.LOG_LEVEL,
  maxPageSize: env.ORDERS_MAX_PAGE_SIZE,
};
