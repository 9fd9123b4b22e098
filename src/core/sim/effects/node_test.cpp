#include <doctest/doctest.h>

#include "sim/effects.h"
#include "sim/effects/test_util.h"

using namespace dfplay::sim;
using namespace dfplay::sim::testing;

TEST_SUITE("effects.node") {
  TEST_CASE("npm ci: 3 deps + 5 devDeps give a bigger node_modules than --omit=dev") {
    Vfs fs = node_project();
    Effect all = run(fs, "npm ci");
    Effect prod = run(fs, "npm ci --omit=dev");
    CHECK_FALSE(all.unknown);
    CHECK_FALSE(all.would_fail);
    const FileChange* a = put_of(all, "/app/node_modules");
    const FileChange* p = put_of(prod, "/app/node_modules");
    REQUIRE(a);
    REQUIRE(p);
    CHECK(a->node.summary);
    CHECK(a->node.estimated);
    CHECK(!a->node.source.empty());
    CHECK(p->node.size < a->node.size);
    // 3 x 2.6 MB; + typescript 22 MB + 2 @types x 0.5 MB + 2 x 2.6 MB.
    CHECK(p->node.size == 7'800'000);
    CHECK(a->node.size == 7'800'000 + 22'000'000 + 1'000'000 + 5'200'000);
    CHECK(has_tool(all, "npm ci"));
    CHECK(all.recognised[0].summary.find("3 dependencies + 5 devDependencies") != std::string::npos);
    CHECK(all.recognised[0].summary.find("package-lock.json: 5 packages (2 dev)") != std::string::npos);
    // The same omission from --production, --only=prod and NODE_ENV=production; --include=dev wins.
    CHECK(put_of(run(fs, "npm ci --production"), "/app/node_modules")->node.size == p->node.size);
    CHECK(put_of(run(fs, "npm ci --only=production"), "/app/node_modules")->node.size == p->node.size);
    CHECK(put_of(run(fs, "npm ci", Step{.env = {{"NODE_ENV", "production"}}}), "/app/node_modules")->node.size ==
          p->node.size);
    CHECK(put_of(run(fs, "npm ci --include=dev", Step{.env = {{"NODE_ENV", "production"}}}), "/app/node_modules")
              ->node.size == a->node.size);
    // npm ci removes node_modules first; bins are linked; the cache stays in the layer.
    CHECK(removes(all, "/app/node_modules") == false);  // there was none
    CHECK(put_of(all, "/app/node_modules/.bin/tsc"));
    CHECK_FALSE(put_of(prod, "/app/node_modules/.bin/tsc"));
    CHECK(put_of(all, "/root/.npm/_cacache"));
    CHECK(has_note(all, "npm cache"));
    CHECK(all.output_key != 0);
    CHECK(all.output_key != prod.output_key);
    CHECK(all.seconds_cold > 2.0);
  }

  TEST_CASE("npm ci needs a lock file; npm install does not") {
    Vfs fs;
    add_file(fs, "/app/package.json", R"({"dependencies":{"express":"^4"}})");
    Effect ci = run(fs, "npm ci");
    CHECK(ci.would_fail);
    CHECK(has_failure(ci, "package-lock.json"));
    Effect inst = run(fs, "npm install");
    CHECK_FALSE(inst.would_fail);
    CHECK(put_of(inst, "/app/node_modules"));
    CHECK(put_of(inst, "/app/package-lock.json"));
    CHECK(inst.output_key == 0);  // unpinned
    Vfs none;
    CHECK(has_failure(run(none, "npm ci"), "no package.json"));
  }

  TEST_CASE("npm cache clean in the same RUN, or a cache mount, keeps the cache out of the layer") {
    Vfs fs = node_project();
    Effect e = run(fs, "npm ci && npm cache clean --force");
    CHECK(written_under(e, "/root/.npm") == 0);
    Effect r = run(fs, "npm ci && rm -rf /root/.npm");
    CHECK(written_under(r, "/root/.npm") == 0);
    Step s;
    s.mounts.push_back({MountInfo::Kind::Cache, "/root/.npm", nullptr, "/", false});
    Effect m = run(fs, "npm ci", s);
    CHECK(written_under(m, "/root/.npm") == 0);
    CHECK(m.cache_bytes > 0);
    CHECK(m.seconds_warm_mount < m.seconds_cold);
  }

  TEST_CASE("npm run build runs the package.json script: tsc emits dist/ from src/") {
    Vfs fs = node_project();
    add_sources(fs);
    fs = after(fs, run(fs, "npm ci"));
    Effect e = run(fs, "npm run build");
    CHECK_FALSE(e.unknown);
    CHECK_FALSE(e.would_fail);
    CHECK(has_tool(e, "npm run build"));
    CHECK(has_tool(e, "tsc"));
    const FileChange* server = put_of(e, "/app/dist/server.js");
    REQUIRE(server);
    CHECK(server->node.size == 3600);  // 90% of 4000
    CHECK(server->node.estimated);
    CHECK(put_of(e, "/app/dist/a.js"));
    CHECK(put_of(e, "/app/dist/lib/util.js"));
    CHECK_FALSE(put_of(e, "/app/dist/types.js"));  // declaration files emit nothing
    CHECK(e.output_key != 0);
  }

  TEST_CASE("output_key of npm run build / tsc: README.md does not matter, src/a.ts does") {
    Vfs fs = node_project();
    add_sources(fs);
    fs = after(fs, run(fs, "npm ci"));
    Effect base = run(fs, "npm run build");
    Vfs readme = fs;
    add_file(readme, "/app/README.md", "# demo, now with more words\n");
    Effect r = run(readme, "npm run build");
    CHECK(r.output_key == base.output_key);
    CHECK(put_of(r, "/app/dist/a.js")->node.hash == put_of(base, "/app/dist/a.js")->node.hash);
    Vfs src = fs;
    add_file(src, "/app/src/a.ts", "export const a = 2;\n");
    Effect s = run(src, "npm run build");
    CHECK(s.output_key != base.output_key);
    CHECK(put_of(s, "/app/dist/a.js")->node.hash != put_of(base, "/app/dist/a.js")->node.hash);
    Vfs cfg = fs;
    add_file(cfg, "/app/tsconfig.json", R"({"compilerOptions":{"outDir":"dist","rootDir":"src","strict":true},"include":["src"]})");
    CHECK(run(cfg, "npm run build").output_key != base.output_key);
    // Direct tsc inside npx: the same key rules.
    CHECK(run(readme, "npx tsc").output_key == run(fs, "npx tsc").output_key);
  }

  TEST_CASE("tsc is missing after npm ci --omit=dev, or outside npm scripts") {
    Vfs fs = node_project();
    add_sources(fs);
    Vfs prod = after(fs, run(fs, "npm ci --omit=dev"));
    Effect e = run(prod, "npm run build");
    CHECK(e.would_fail);
    CHECK(has_failure(e, "tsc: not found"));
    Vfs dev = after(fs, run(fs, "npm ci"));
    Effect direct = run(dev, "tsc");
    CHECK(direct.would_fail);
    CHECK(has_failure(direct, "node_modules/.bin"));
    CHECK_FALSE(run(dev, "tsc", Step{.env = {{"PATH", "/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin"}}}).would_fail);
    Effect npx = run(prod, "npx tsc");
    CHECK(has_note(npx, "unrelated `tsc` package"));
  }

  TEST_CASE("tsc needs a tsconfig.json or files") {
    Vfs fs = node_project();
    fs = after(fs, run(fs, "npm ci"));
    CHECK(has_failure(run(fs, "npx tsc"), "no tsconfig.json"));
    add_file(fs, "/app/src/x.ts", "let x = 1;\n");
    Effect e = run(fs, "npx tsc src/x.ts --outDir out");
    CHECK_FALSE(e.would_fail);
    CHECK(put_of(e, "/app/out/x.js"));
  }

  TEST_CASE("missing scripts fail; pre/post scripts run; vite build writes dist/") {
    Vfs fs;
    add_file(fs, "/app/package.json", R"({"scripts":{"prebuild":"mkdir -p public","build":"vite build","postbuild":"touch dist/.done"},
      "dependencies":{"react":"^18","react-dom":"^18"},"devDependencies":{"vite":"^5"}})");
    add_file(fs, "/app/package-lock.json", R"({"lockfileVersion":3,"packages":{}})");
    add_file(fs, "/app/src/main.jsx", std::string(10000, 'x'));
    add_file(fs, "/app/index.html", "<html></html>");
    fs = after(fs, run(fs, "npm ci"));
    CHECK(has_failure(run(fs, "npm run test"), "missing script: \"test\""));
    Effect e = run(fs, "npm run build");
    CHECK_FALSE(e.would_fail);
    CHECK(put_of(e, "/app/public"));
    CHECK(put_of(e, "/app/dist"));
    CHECK(put_of(e, "/app/dist")->node.summary);
    CHECK(put_of(e, "/app/dist/.done"));
    CHECK(has_tool(e, "vite build"));
    CHECK(has_note(run(fs, "npx vite"), "never exits"));
  }

  TEST_CASE("npm install -g, npm install <pkg>, npm prune") {
    Vfs fs = node_project();
    Effect g = run(fs, "npm install -g typescript@5.4 pm2");
    CHECK(put_of(g, "/usr/local/lib/node_modules/typescript"));
    CHECK(put_of(g, "/usr/local/bin/tsc"));
    CHECK(put_of(g, "/usr/local/lib/node_modules/pm2"));
    CHECK(has_tool(g, "npm install -g"));
    Vfs installed = after(fs, run(fs, "npm ci"));
    Effect add = run(installed, "npm install lodash");
    CHECK(put_of(add, "/app/node_modules")->node.size > installed.find("/app/node_modules")->size);
    Effect prune = run(installed, "npm prune --omit=dev");
    CHECK(put_of(prune, "/app/node_modules")->node.size == 7'800'000);
    CHECK(has_note(prune, "stay in the earlier layer"));
  }

  TEST_CASE("yarn and pnpm") {
    Vfs fs = node_project();
    add_file(fs, "/app/yarn.lock", "# yarn lockfile v1\n");
    add_file(fs, "/app/pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    Effect y = run(fs, "yarn install --frozen-lockfile --production");
    CHECK(put_of(y, "/app/node_modules")->node.size == 7'800'000);
    CHECK(put_of(y, "/usr/local/share/.cache/yarn"));
    Effect yc = run(fs, "yarn install --frozen-lockfile && yarn cache clean");
    CHECK(written_under(yc, "/usr/local/share/.cache/yarn") == 0);
    Effect p = run(fs, "pnpm install --frozen-lockfile --prod");
    const FileChange* nm = put_of(p, "/app/node_modules");
    REQUIRE(nm);
    CHECK(nm->node.size < 7'800'000);  // hard links to the store
    CHECK(put_of(p, "/root/.local/share/pnpm/store"));
    Vfs nolock = node_project();
    CHECK(has_failure(run(nolock, "pnpm install --frozen-lockfile"), "ERR_PNPM_NO_LOCKFILE"));
    Vfs built = after(fs, run(fs, "yarn install"));
    add_sources(built);
    CHECK(has_tool(run(built, "yarn build"), "yarn run build"));
  }

  TEST_CASE("a non-root user gets its own npm cache; --prefix picks the project") {
    Vfs fs;
    add_file(fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/sh\n");
    add_file(fs, "/srv/web/package.json", R"({"dependencies":{"a":"1"}})");
    add_file(fs, "/srv/web/package-lock.json", R"({"lockfileVersion":3,"packages":{}})");
    Effect e = run(fs, "npm ci --prefix /srv/web", Step{.workdir = "/", .user = "node"});
    CHECK(put_of(e, "/srv/web/node_modules"));
    CHECK(put_of(e, "/home/node/.npm/_cacache"));
    CHECK(put_of(e, "/srv/web/node_modules")->node.uid == 1000);
  }

  TEST_CASE("bundlers: next, webpack, esbuild; servers are flagged") {
    Vfs fs;
    add_file(fs, "/app/package.json", R"({"scripts":{"build":"next build","bundle":"esbuild src/index.ts --bundle --outfile=out/app.js","wp":"webpack --mode production"},
      "dependencies":{"next":"14","react":"18"},"devDependencies":{"esbuild":"0.20","webpack":"5","webpack-cli":"5"}})");
    add_file(fs, "/app/package-lock.json", R"({"lockfileVersion":3,"packages":{}})");
    add_file(fs, "/app/app/page.tsx", std::string(5000, 'p'));
    add_file(fs, "/app/src/index.ts", std::string(5000, 'i'));
    fs = after(fs, run(fs, "npm ci"));
    Effect n = run(fs, "npm run build");
    REQUIRE(put_of(n, "/app/.next"));
    CHECK(put_of(n, "/app/.next")->node.size > 25'000'000);
    Effect b = run(fs, "npm run bundle");
    REQUIRE(put_of(b, "/app/out/app.js"));
    CHECK_FALSE(put_of(b, "/app/out/app.js")->node.summary);
    CHECK(put_of(run(fs, "npm run wp"), "/app/dist"));
    CHECK(has_note(run(fs, "npm start"), "never exits"));
  }

  TEST_CASE("corepack, yarn global add, npm config, npm cache with --cache") {
    Vfs fs = node_project();
    Effect c = run(fs, "corepack enable && corepack prepare pnpm@9 --activate");
    CHECK(put_of(c, "/usr/local/bin/pnpm"));
    CHECK(put_of(c, "/root/.cache/node/corepack/pnpm@9"));
    CHECK(put_of(run(fs, "yarn global add nodemon"), "/usr/local/lib/node_modules/nodemon"));
    CHECK(put_of(run(fs, "npm config set registry https://r.example"), "/root/.npmrc"));
    Effect k = run(fs, "npm ci --cache /tmp/npm-cache");
    CHECK(put_of(k, "/tmp/npm-cache/_cacache"));
    CHECK_FALSE(put_of(k, "/root/.npm/_cacache"));
    CHECK(has_failure(run(fs, "npm build"), "npm run build"));
  }
}
