/**
 * Moving messages between processes: pipes, queues, durable queues and authenticated sockets. This module is being built; see the project's issues.
 */
package org.multiproc4j.ipc;
