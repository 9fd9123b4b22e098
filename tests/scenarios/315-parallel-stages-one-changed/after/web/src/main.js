import { renderNav } from "./components/nav.js";

document.querySelector("#app").innerHTML = `${renderNav()}<main><h1>Docs</h1></main>`;
