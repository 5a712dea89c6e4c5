/**
 * The paths of one benchmark run: the simulator itself (direct), the two floors and one gateway
 * per distinct set of gateway vars, each in its own workerd; and the simulator set for a workload.
 */
import type { Simulator } from '../../simulator/server';
import { STREAM_WRITE_BYTES } from './plan';
import type { PathName } from './report';
import { startFloor, startGatewayRuntime, type Runtime } from './runtimes';
import { WORKLOADS, type Workload } from './workloads';

/** The instances of one run: the two floors, and one gateway per distinct set of gateway vars. */
export class Paths {
  readonly #gateways = new Map<string, Runtime>();
  private constructor(
    readonly sim: Simulator,
    readonly floor: Runtime,
    readonly reader: Runtime,
  ) {}

  static async start(sim: Simulator): Promise<Paths> {
    const paths = new Paths(sim, await startFloor(sim.url), await startFloor(sim.url, 'reader'));
    // One after another: each instance's workerd is told by the child process it adds.
    for (const workload of WORKLOADS) await paths.#gatewayFor(workload);
    return paths;
  }

  static varsOf(workload: Workload, sim: Simulator): Record<string, string> {
    return { UPSTREAM_BASE_URL: sim.baseUrl, ...workload.gatewayVars };
  }

  async #gatewayFor(workload: Workload): Promise<Runtime> {
    const key = JSON.stringify(workload.gatewayVars ?? {});
    let gateway = this.#gateways.get(key);
    if (gateway === undefined) {
      gateway = await startGatewayRuntime(Paths.varsOf(workload, this.sim));
      this.#gateways.set(key, gateway);
    }
    return gateway;
  }

  /** Where a path's requests go for a workload, and the workerd process serving them (null: none). */
  target(path: PathName, workload: Workload): { baseUrl: string; pid: number | null } {
    if (path === 'direct') return { baseUrl: this.sim.baseUrl, pid: null };
    if (path === 'floor') return this.floor;
    if (path === 'reader') return this.reader;
    const gateway = this.#gateways.get(JSON.stringify(workload.gatewayVars ?? {}));
    if (gateway === undefined) throw new Error(`no gateway started for ${workload.name}`);
    return gateway;
  }

  async close(): Promise<void> {
    await this.floor.close();
    await this.reader.close();
    for (const gateway of this.#gateways.values()) await gateway.close();
  }
}

export function useUpstream(sim: Simulator, workload: Workload): void {
  sim.setOptions({ deltaCount: undefined, deltaSize: undefined, eventDelayMs: undefined, streamWriteBytes: STREAM_WRITE_BYTES, ...workload.upstream });
}
