import express from "express";
import { healthRouter } from "./routes/health";
import { ordersRouter } from "./routes/orders";

const app = express();
app.use(express.json());
app.use("/health", healthRouter);
app.use("/orders", ordersRouter);

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`orders-api listening on ${port}`));
