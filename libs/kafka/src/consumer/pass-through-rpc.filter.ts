import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter replaces unknown errors with a generic
 * "Internal server error" object, which would lose PipelineError's `code`
 * and `retriable`. This filter hands the original error to the runtime,
 * which decides retry or dead letter from it.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
