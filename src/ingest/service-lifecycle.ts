/** Whether the service still takes new work; SIGTERM flips it so webhooks get 503 while we drain. */
export class ServiceLifecycle {
  private draining = false;

  get acceptingWork(): boolean {
    return !this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
