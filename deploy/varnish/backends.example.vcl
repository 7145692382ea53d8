# The emall nodes behind Varnish: copy to backends.vcl beside emall.vcl and list yours.
# Each is probed at /readyz (200 when its database answers), so a node that is down or
# cannot reach PostgreSQL takes no traffic.

probe ready {
    .url = "/readyz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend node_a {
    .host = "10.0.0.11";
    .port = "8080";
    .probe = ready;
}

backend node_b {
    .host = "10.0.0.12";
    .port = "8080";
    .probe = ready;
}

sub vcl_init {
    nodes.add_backend(node_a);
    nodes.add_backend(node_b);
}
