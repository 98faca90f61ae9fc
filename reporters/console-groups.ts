/**
 * Non-TTY console output grouped by folder (issue 11, item 1): scenarios finish in a shuffled
 * order, so results are held per folder and a folder is printed as one block once all of its
 * planned scenarios are done. Each line keeps the `[n/N]` count of when it finished. Skipped
 * scenarios are counted, not listed (the summary gives one line per reason).
 */
import type { ScenarioResult } from '../harness/model/result.ts'

/** The folder of a scenario id: `registration/status-201` -> `registration`. */
export function folderOf(id: string): string {
  const slash = id.lastIndexOf('/')
  return slash < 0 ? '.' : id.slice(0, slash)
}

/** A finished scenario and the count of scenarios done when it finished. */
export interface Finished {
  result: ScenarioResult
  done: number
}

/** One folder's results, ready to print. */
export interface FolderBlock {
  folder: string
  finished: Finished[]
  /** Every planned scenario of the folder is in the block (else: no plan, or interrupted). */
  complete: boolean
}

export class FolderGroups {
  readonly #expected = new Map<string, number>()
  readonly #held = new Map<string, Finished[]>()

  /** `planned`: the ids of the run's scenarios; without them every result is its own block. */
  constructor(planned: readonly string[] | undefined) {
    for (const id of planned ?? []) {
      const folder = folderOf(id)
      this.#expected.set(folder, (this.#expected.get(folder) ?? 0) + 1)
    }
  }

  /** Hold a result; returns its folder's block when the folder is complete (or unknown). */
  add(finished: Finished): FolderBlock | undefined {
    const folder = folderOf(finished.result.id)
    const held = [...(this.#held.get(folder) ?? []), finished]
    const expected = this.#expected.get(folder)
    if (expected !== undefined && held.length < expected) {
      this.#held.set(folder, held)
      return undefined
    }
    this.#held.delete(folder)
    return { folder, finished: held, complete: expected !== undefined }
  }

  /** Whatever is still held (an interrupted run), folder by folder. */
  flush(): FolderBlock[] {
    const blocks = [...this.#held.entries()].map(([folder, finished]) => ({
      folder,
      finished,
      complete: false,
    }))
    this.#held.clear()
    return blocks
  }
}
