import { Router } from "express";

interface Order { id: number; item: string; qty: number }
const orders: Order[] = [];

export const ordersRouter = Router();
ordersRouter.get("/", (_req, res) => res.json(orders));
ordersRouter.post("/", (req, res) => {
  const order: Order = { id: orders.length + 1, item: req.body.item, qty: req.body.qty ?? 1 };
  orders.push(order);
  res.status(201).json(order);
});
