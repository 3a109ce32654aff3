/* Lets Redoc run under the site's Content-Security-Policy (no inline styles without the response's nonce).
   Loaded, with the nonce, just before redoc.standalone.js on /api/redoc/ only.
   1. Redoc's bundle adds <style> elements as it loads, before Redoc.init can pass it the nonce: any <style>
      added to the document without a nonce is given this page's nonce just before it is inserted.
   2. Redoc shows a logo from cdn.redoc.ly; nothing on this site is fetched from another server, so that
      image's address is replaced by an empty local image before the browser can request it. */
(function () {
  "use strict";
  var nonce = document.currentScript && document.currentScript.nonce;
  var blank = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
  function withNonce(node) {
    if (nonce && node && node.nodeName === "STYLE" && !node.nonce) {
      node.nonce = nonce;
    }
    return node;
  }
  var appendChild = Node.prototype.appendChild;
  var insertBefore = Node.prototype.insertBefore;
  Node.prototype.appendChild = function (node) {
    return appendChild.call(this, withNonce(node));
  };
  Node.prototype.insertBefore = function (node, reference) {
    return insertBefore.call(this, withNonce(node), reference);
  };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this.nodeName === "IMG" && name === "src" && /^https?:\/\//.test(String(value))) {
      value = blank;
    }
    return setAttribute.call(this, name, value);
  };
  var srcProperty = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: srcProperty.enumerable,
    get: srcProperty.get,
    set: function (value) {
      srcProperty.set.call(this, /^https?:\/\//.test(String(value)) ? blank : value);
    },
  });
})();
