// Preloaded into Portkey's gateway by bench/run.sh (node -r): it has no host option and listens on every interface; this makes every
// server it opens listen on 127.0.0.1 only.
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const callback = args.find((a) => typeof a === 'function');
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    return listen.call(this, { port: Number(args[0]), host: '127.0.0.1' }, callback);
  }
  if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined) {
    return listen.call(this, { ...args[0], host: '127.0.0.1' }, callback);
  }
  return listen.apply(this, args);
};
