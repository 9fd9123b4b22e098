import dayjs from "dayjs";
import "./style.css";

const launch = dayjs("2025-03-01T09:00:00Z");
const target = document.querySelector("#countdown");

function tick() {
  const days = launch.diff(dayjs(), "day");
  target.textContent = days > 0 ? `${days} days` : "now";
}

tick();
setInterval(tick, 60_000);
