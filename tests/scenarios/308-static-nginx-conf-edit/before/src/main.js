import { renderNav } from "./components/nav.js";

document.querySelector("#app").innerHTML = `${renderNav()}<main><h1>Documentation</h1></main>`;
