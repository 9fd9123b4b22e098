// The start-up example: the first Dockerfile of the seed article (a Node.js multi-stage build),
// with one correction: the seed's `COPY --from=builder /app/dist ./dist # copy compiled output only`
// would pass `#`, `copy`, ... as COPY sources (in BuildKit `#` starts a comment only at the start
// of a line), so the real build fails; the trailing comment is dropped. `RUN ... # x` comments
// are fine: the shell treats them as comments.
#include "app.h"

namespace dfplay::app {

std::string_view example_dockerfile() {
  return "# Stage 1: Build\n"
         "FROM node:20-alpine AS builder\n"
         "WORKDIR /app\n"
         "COPY package*.json ./\n"
         "RUN npm ci # install all deps (including devDeps)\n"
         "COPY . .\n"
         "RUN npm run build # tsc \xE2\x86\x92 dist/\n"
         "# Stage 2: Production\n"
         "FROM node:20-alpine AS production\n"
         "WORKDIR /app\n"
         "COPY package*.json ./\n"
         "RUN npm ci --omit=dev # only production deps\n"
         "COPY --from=builder /app/dist ./dist\n"
         "USER node\n"
         "EXPOSE 3000\n"
         "CMD [\"node\", \"dist/server.js\"]\n";
}

// A minimal build context for the example, for the build simulation.
std::vector<ContextFile> example_files() {
  return {
      {"package.json",
       "{\n  \"name\": \"example\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\"build\": \"tsc\", "
       "\"start\": \"node dist/server.js\"},\n  \"dependencies\": {\"express\": \"^4.19.2\"},\n"
       "  \"devDependencies\": {\"typescript\": \"^5.4.5\"}\n}\n"},
      {"package-lock.json", "{\n  \"name\": \"example\",\n  \"lockfileVersion\": 3,\n  \"packages\": {}\n}\n"},
      {"tsconfig.json", "{\n  \"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\"}\n}\n"},
      {"src/server.ts",
       "import express from \"express\";\nconst app = express();\n"
       "app.get(\"/\", (_req, res) => res.send(\"hello\"));\napp.listen(3000);\n"},
  };
}

}  // namespace dfplay::app
