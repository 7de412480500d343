import {
  type Connection,
  type ConnectionPlugin,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

/**
 * A test's client connection that stops retrying once it is closing. The SDK retries a failed
 * call from a timer; a retry that fires after the connection closed throws 'Channel has been
 * shut down' from that timer, uncaught, into whichever test file the jest worker runs next. A
 * call that fails once the connection is closing (because it is) reports its failure instead.
 */
export class TestConnection {
  private closing = false;

  /** The connection options: the SDK's retries, refused once closing; `extra` on top. */
  plugin(
    extra: (
      options: Parameters<NonNullable<ConnectionPlugin['configureConnection']>>[0],
    ) => object = () => ({}),
  ): ConnectionPlugin {
    const retry = defaultGrpcRetryOptions();
    const interceptor = makeGrpcRetryInterceptor({
      ...retry,
      retryableDecider: (attempt, status) => !this.closing && retry.retryableDecider(attempt, status),
    });
    return {
      name: 'a2p-test-connection',
      configureConnection: (options) => ({ ...options, interceptors: [interceptor], ...extra(options) }),
    };
  }

  /** Marks the connection closing as soon as its close() is called. */
  watch<C extends Connection>(connection: C): C {
    const close = connection.close.bind(connection);
    connection.close = () => {
      this.closing = true;
      return close();
    };
    return connection;
  }
}
