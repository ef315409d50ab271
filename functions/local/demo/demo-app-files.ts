/**
 * The sample application `npm start` creates on first run: a small Node HTTP service with a
 * `/health` endpoint, its tests, and a Dockerfile. `VERSION_PLACEHOLDER` lets a later demo commit
 * change what the service answers.
 */
export const DEMO_APP_FILES: Readonly<Record<string, string>> = {
  "package.json": `${JSON.stringify(
    {
      name: "demo",
      version: "1.0.0",
      private: true,
      description: "A small HTTP service deployed by Shipline",
      main: "server.js",
      scripts: { start: "node server.js", test: "node --test" },
    },
    null,
    2,
  )}\n`,
  "server.js": `// A small HTTP service: GET / greets, GET /health tells Argo CD (and Shipline) it is ready.
const http = require("node:http");

const greeting = process.env.GREETING ?? "Hello from the demo service";
const healthy = true;

function handle(request, response) {
  if (request.url === "/health") {
    response.writeHead(healthy ? 200 : 500, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: healthy ? "ok" : "failing" }));
    return;
  }
  response.writeHead(200, { "content-type": "text/plain" });
  response.end(\`\${greeting}\\n\`);
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 8080);
  http.createServer(handle).listen(port, "127.0.0.1", () => console.log(\`demo listening on \${port}\`));
}

module.exports = { handle };
`,
  "server.test.js": `const assert = require("node:assert");
const http = require("node:http");
const { test } = require("node:test");
const { handle } = require("./server.js");

test("the service greets on /", async () => {
  const server = http.createServer(handle).listen(0, "127.0.0.1");
  await new Promise((done) => server.once("listening", done));
  const response = await fetch(\`http://127.0.0.1:\${server.address().port}/\`);
  assert.strictEqual(response.status, 200);
  server.close();
});
`,
  Dockerfile: `FROM node:24-alpine
WORKDIR /srv
COPY package.json server.js ./
ENV PORT=8080
EXPOSE 8080
USER node
CMD ["node", "server.js"]
`,
  ".dockerignore": ".git\nnode_modules\n*.test.js\n",
  "README.md": `# demo

A small HTTP service deployed by Shipline. Push a change to \`main\` and watch it reach staging, then
production: \`shipline trace demo\`.
`,
};
