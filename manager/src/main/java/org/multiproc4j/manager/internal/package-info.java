/**
 * The manager's machinery, not promised to users: the request/response protocol, the server and its sessions,
 * the client endpoint of each process, the proxies' invocation handler and handle, and the server-side objects.
 */
package org.multiproc4j.manager.internal;
