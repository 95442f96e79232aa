"""NATS JetStream for forward and rear nodes: the server as a child process, the streams."""
