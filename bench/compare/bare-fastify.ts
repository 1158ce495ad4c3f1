/**
 * The Identify row's baseline: bare Fastify answering POST /wsman with the very bytes winrmd sent
 * for an Identify (body and Content-Type, given as arguments), in a process of its own like winrmd.
 * It prints `{"port":N}` once listening and runs until killed.
 */
import Fastify from 'fastify';

const [contentType, bodyBase64] = process.argv.slice(2);
if (contentType === undefined || bodyBase64 === undefined) {
  console.error('usage: bare-fastify.js <content-type> <body as base64>');
  process.exit(2);
}
const body = Buffer.from(bodyBase64, 'base64');
const app = Fastify({ logger: false });
// Read the request body as winrmd does, but do nothing with it.
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => {
  done(null, payload);
});
app.post('/wsman', async (_request, reply) => reply.code(200).header('Content-Type', contentType).send(body));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
