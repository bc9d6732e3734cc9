/** One bundled model's row (the generated bundledModels.data.ts holds them; bundledModels.ts reads them). */
export interface BundledModel {
  /** Hugging Face Hub id, e.g. 'meta-llama/Llama-3.1-8B-Instruct'. */
  id: string;
  /** Short display name (the repository name). */
  label: string;
  /** config.json as served by the Hub (or as vendored; see `source`), raw text. */
  configText: string;
  /** ModelOpt hf_quant_config.json raw text, for checkpoints that carry one. */
  hfQuantConfigText?: string;
  /** Where the vendored file came from (fixtures/hf/SOURCES.md line). */
  source: string;
}
