# Varnish in front of emall nodes: the production example, and what the test suite runs
# (server/tests/api/varnish.rs). Needs Debian's `varnish` and `varnish-modules` (xkey).
#
#   varnishd -a :80 -f /etc/varnish/emall.vcl -p vcl_path=/etc/varnish -s malloc,1g
#
# The nodes are in `backends.vcl` beside this file (see backends.example.vcl). Each node's
# emall.toml points its purges here:
#
#   [cache]
#   purge_webhook = "http://varnish.internal/"
#   purge_format = "xkey"
#
# What the nodes promise, and this file relies on:
# - a public page is the same bytes for everyone; it says so with `Cache-Control: public,
#   s-maxage=…` and names what it shows in `Surrogate-Key` (space separated);
# - anything personal says `Cache-Control: private, no-store` (and `Vary: Cookie`), so it is
#   never stored whatever the request carries;
# - a write purges by key: the node's change feed sends `PURGE` with `xkey-purge: k1 k2 …`
#   within a second of the commit, from every node, retried until Varnish takes it.
vcl 4.1;

import std;
import xkey;
import directors;

# Who may purge: the nodes. Widen to the nodes' network in production.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new nodes = directors.round_robin();
}

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = nodes.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Cookies do not decide what is stored: the node's answer does (`private, no-store` and
    # `Vary: Cookie` for personal pages). A signed-in buyer reading the catalogue gets the
    # same kept page as everyone, which is what the node rendered for everyone.
    if (req.http.Authorization) {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # xkey indexes an object by the words of its `xkey` header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Varnish's built-in rules then refuse to store `private`, `no-store`, `no-cache`,
    # `Set-Cookie` and `Vary: *`, and take the time to keep from `s-maxage`.
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Edge = "HIT";
    } else {
        set resp.http.X-Edge = "MISS";
    }
}
