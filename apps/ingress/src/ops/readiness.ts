/** Whether ingress should receive traffic: producer connected and not shutting down. */
export class Readiness {
  producerConnected = false;
  draining = false;

  get ready(): boolean {
    return this.producerConnected && !this.draining;
  }
}
