import { Router } from "express";
import { z } from "zod";
import { config } from "../config";

export interface Order {
  id: number;
  customer: string;
  items: { sku: string; quantity: number }[];
  createdAt: string;
}

const NewOrder = z.object({
  customer: z.string().min(1),
  items: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
});

const orders: Order[] = [];

export const ordersRouter = Router();

ordersRouter.get("/", (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20), config.maxPageSize);
  res.json(orders.slice(-limit));
});

ordersRouter.post("/", (req, res) => {
  const parsed = NewOrder.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ errors: parsed.error.issues });
    return;
  }
  const order: Order = { id: orders.length + 1, ...parsed.data, createdAt: new Date().toISOString() };
  orders.push(order);
  res.status(201).json(order);
});
