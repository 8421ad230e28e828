// The peer: a bare Node `http` server answering every request with a fixed GetCallerIdentity XML
// body, the ceiling of the runtime on this machine. Run as its own process; prints its port.
import { createServer } from 'node:http';
import { BODY } from './bare-peer-body.js';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': BODY.length });
    res.end(BODY);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
