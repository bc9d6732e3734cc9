/**
 * The GPU catalog: one typed row per accelerator, each with its datasheet and price source (STYLE.md §5).
 *
 * Conventions, applied to every row:
 * - `memoryBytes` is the device total AS THE RUNTIME REPORTS IT (`torch.cuda.mem_get_info()[1]`, which vLLM
 *   logs as "total_gpu_memory (X GiB)"), i.e. the HBM/GDDR capacity minus what the driver keeps. Each row's
 *   `source.note` says whether the figure is MEASURED (a vLLM start-up log, a PyTorch OOM message or
 *   `torch.cuda.get_device_properties().total_memory`, quoted with where it was seen) or ESTIMATED by the rule
 *   below. Vendors' "80 GB" is neither 80 GiB nor 80 GB of usable memory.
 *   Estimation rule: runtime total = `nvidia-smi` total − the driver reservation measured on the nearest
 *   sibling (same generation and memory type). Reservations measured: H100 SXM 81,559 − 81,089 = 470 MiB,
 *   H100 PCIe 81,559 − 81,008 = 551 MiB, H20 97,871 − 97,285 = 586 MiB, H200 143,771 − 143,156 = 615 MiB,
 *   B200 183,359 − 182,631 = 728 MiB, A10G 23,028 − 22,587 = 441 MiB.
 *   The reservation moves by ~0.1–0.3 GiB across driver versions (vLLM logs show 79.18 and 79.19 GiB for H100).
 * - `denseTflops` are DENSE peaks (no 2:4 sparsity). NVIDIA datasheets print sparse figures with an asterisk;
 *   those are halved here. GeForce cards run FP16/BF16/FP8 tensor maths at half rate with FP32 accumulation
 *   (what serving kernels use), so their FP32-accumulate figures are taken.
 * - `interconnect.bytesPerS` is per GPU, one direction (NVLink "900 GB/s" is bidirectional: 450 GB/s each way;
 *   PCIe Gen5 x16 "128 GB/s" is bidirectional: 64 GB/s each way).
 * - Prices are one public on-demand list price per GPU-hour, not a quote; they drift monthly. Where a stored copy
 *   of the price page confirmed the figure, `priceSource.retrieved` is that copy's date; otherwise the note says
 *   the figure was not re-fetched and must be checked before use.
 *
 * Compiled 2026-11-26 without web access: datasheet figures are the vendors' published numbers as known to the
 * author; measured memory totals were found in public logs (sources named per row).
 */
import { GB, GiB, MiB, TB } from '../units';
import type { GpuSpec } from '../types';

export const GPU_IDS = [
  'H100',
  'H100-PCIE',
  'H100-NVL',
  'H200',
  'H20',
  'GH200',
  'B200',
  'GB200',
  'B300',
  'GB300',
  'DGX-SPARK',
  'A100-80GB',
  'A100-40GB',
  'A10G',
  'A10',
  'A6000',
  'L4',
  'L40',
  'L40S',
  'L20',
  'V100',
  'T4',
  'RTX-4090',
  'RTX-5090',
  'RTX-4080',
  'RTX-4060-TI-16GB',
  'RTX-5060-TI-16GB',
  'RTX-6000-ADA',
  'RTX-PRO-6000',
  'MI300X',
  'MI325X',
  'MI355X',
] as const;
export type GpuId = (typeof GPU_IDS)[number];

/** A catalog row: a GpuSpec whose id is one of GPU_IDS. */
export type CatalogGpu = GpuSpec & { id: GpuId };

/** Date this table was compiled (no page was re-fetched that day; see the header). */
const COMPILED = '2026-11-26';
const DATASHEET_NOTE = 'datasheet figures as published on this page; not re-fetched when compiled';
/** A stored copy of Lambda's and Modal's price pages, checked against the vendors' lists on 2026-05-07. */
const TECHBYTES_PRICES = 'https://techbytes.app/posts/serverless-gpu-pricing-matrix-modal-replicate-lambda-2026/';
const RUNPOD_PRICING = 'https://www.runpod.io/pricing';
const VAST_PRICING = 'https://vast.ai/pricing';
const UNVERIFIED_PRICE = 'list price as last read by the author (2025), not re-fetched: check before relying on it';

/**
 * 16 GB GeForce cards (issue 13, met on published runs): no public runtime total, so ESTIMATED by the header
 * rule from the nearest sibling's reservation below its physical memory: RTX 4090 24,576 MiB − 23.65 GiB
 * (24,218 MiB) = 358 MiB (Ada, GDDR6X); RTX 5090 32,768 MiB − 31.37 GiB (32,123 MiB) = 645 MiB (Blackwell, GDDR7).
 */
const ADA_16GB_RUNTIME_BYTES = (16_384 - 358) * MiB;
const BLACKWELL_16GB_RUNTIME_BYTES = (16_384 - 645) * MiB;
/** Ada / consumer Blackwell dense rates scale with SMs × boost clock (same per-SM tensor rates; whitepapers). */
const ADA_WHITEPAPER = 'https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf';
const SCALED_NOTE = 'dense rates scaled from the same-generation flagship row (RTX 4090: 128 SMs at 2.52 GHz; RTX 5090: 170 SMs at 2.41 GHz) by SMs × boost clock';

/** Runtime totals logged with two decimals in GiB, converted to bytes (±5 MiB rounding). */
const loggedGiB = (gib: number): number => Math.round(gib * GiB);

/** NVLink 4 (Hopper) / 5 (Blackwell): 900 GB/s and 1.8 TB/s bidirectional per GPU. */
const NVLINK4_BYTES_PER_S = 450 * GB;
const NVLINK5_BYTES_PER_S = 900 * GB;
/** PCIe x16, one direction: Gen3 ~16 GB/s, Gen4 32 GB/s, Gen5 64 GB/s (PCI-SIG rates, rounded). */
const PCIE3_BYTES_PER_S = 16 * GB;
const PCIE4_BYTES_PER_S = 32 * GB;
const PCIE5_BYTES_PER_S = 64 * GB;

/**
 * Scale-out NICs per GPU, one direction (issue 13: what PP hand-offs, EP all-to-alls and cross-node TP
 * run over; perf/crossNode.ts). Rows without `network` get crossNode.ts DEFAULT_NETWORK (400 Gb/s NDR).
 */
const NDR_400G_BYTES_PER_S = 400e9 / 8;
const HDR_200G_BYTES_PER_S = 200e9 / 8;
const XDR_800G_BYTES_PER_S = 800e9 / 8;
const DGX_H100_NETWORK = {
  kind: 'infiniband',
  bytesPerS: NDR_400G_BYTES_PER_S,
  source: {
    url: 'https://docs.nvidia.com/dgx/dgxh100-user-guide/introduction-to-dgxh100.html',
    note: 'DGX/HGX H100 and H200 reference: 8 × ConnectX-7 400 Gb/s NDR InfiniBand (or 400 GbE), one per GPU',
  },
} as const;
const DGX_A100_NETWORK = {
  kind: 'infiniband',
  bytesPerS: HDR_200G_BYTES_PER_S,
  source: {
    url: 'https://docs.nvidia.com/dgx/dgxa100-user-guide/introduction-to-dgxa100.html',
    note: 'DGX A100: 8 × ConnectX-6 200 Gb/s HDR InfiniBand for the compute fabric, one per GPU',
  },
} as const;
const DGX_B200_NETWORK = {
  kind: 'infiniband',
  bytesPerS: NDR_400G_BYTES_PER_S,
  source: {
    url: 'https://docs.nvidia.com/dgx/dgxb200-user-guide/introduction-to-dgxb200.html',
    note: 'DGX B200: 8 × ConnectX-7 400 Gb/s (OSFP) for the compute fabric, one per GPU',
  },
} as const;
const CONNECTX8_NETWORK = {
  kind: 'infiniband',
  bytesPerS: XDR_800G_BYTES_PER_S,
  source: {
    url: 'https://www.nvidia.com/en-us/data-center/hgx/',
    note: 'HGX B300: ConnectX-8 SuperNIC 800 Gb/s per GPU (InfiniBand XDR or Spectrum-X Ethernet)',
  },
} as const;
const GB200_NETWORK = {
  kind: 'infiniband',
  bytesPerS: NDR_400G_BYTES_PER_S,
  source: {
    url: 'https://www.nvidia.com/en-us/data-center/gb200-nvl72/',
    note: 'GB200 NVL72 compute tray: 4 × ConnectX-7 400 Gb/s for 4 GPUs (between racks; inside the rack NVLink 5 joins all 72)',
  },
} as const;
const AMD_ROCE_NETWORK = {
  kind: 'roce',
  bytesPerS: NDR_400G_BYTES_PER_S,
  source: {
    url: 'https://www.amd.com/en/products/accelerators/instinct/mi300/platform.html',
    note: 'Instinct platform (8 GPUs): one 400 GbE NIC per GPU (RoCE v2; Pensando Pollara 400 or ConnectX-7), as the cloud MI300X/MI325X/MI355X nodes ship',
  },
} as const;

export const GPU_CATALOG = [
  {
    id: 'H100',
    name: 'NVIDIA H100 SXM 80GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['H100-SXM', 'H100 SXM5', 'H100-80GB', 'H100 80GB HBM3', 'NVIDIA H100 80GB HBM3', 'H100-SXM5-80GB'],
    // MEASURED: vLLM logs "total_gpu_memory (79.19GiB)"; torch total_memory=81089MB (fixtures/truth).
    memoryBytes: 85_029_158_912,
    memBandwidthBytesPerS: 3.35 * TB,
    denseTflops: { fp32: 66.9, bf16: 989.4, fp16: 989.4, fp8: 1978.9, int8: 1978.9 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK4_BYTES_PER_S, gpusPerNode: 8 },
    network: DGX_H100_NETWORK,
    tdpWatts: 700,
    priceUsdPerHour: 3.78,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/h100/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: 79.19 GiB in 50 vLLM 0.19 start-up logs (vllm_memory_calibration.csv); HBM3 80 GB. Sparse 1979/3958 halved.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Lambda 1x H100 SXM on-demand' },
  },
  {
    id: 'H100-PCIE',
    name: 'NVIDIA H100 PCIe 80GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['H100 PCIe', 'NVIDIA H100 PCIe', 'H100-PCIe-80GB'],
    memoryBytes: 81_008 * MiB,
    memBandwidthBytesPerS: 2.0 * TB,
    denseTflops: { fp32: 51.2, bf16: 756.5, fp16: 756.5, fp8: 1513, int8: 1513 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 350,
    priceUsdPerHour: 2.86,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/h100/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: torch total_memory=81008MB (79.11 GiB; vLLM logs also print 79.11 GiB). Optional NVLink bridge pairs ignored.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Lambda 1x H100 PCIe on-demand' },
  },
  {
    id: 'H100-NVL',
    name: 'NVIDIA H100 NVL 94GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['H100 NVL', 'NVIDIA H100 NVL', 'H100-NVL-94GB'],
    // ESTIMATED: nvidia-smi 95,830 MiB − 586 MiB (H20 reservation, same HBM3 96 GB class).
    memoryBytes: (95_830 - 586) * MiB,
    memBandwidthBytesPerS: 3.9 * TB,
    denseTflops: { fp32: 60, bf16: 835.5, fp16: 835.5, fp8: 1670.5, int8: 1670.5 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 8 },
    network: DGX_H100_NETWORK,
    tdpWatts: 400,
    priceUsdPerHour: 2.79,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/h100/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory ESTIMATED (header rule): nvidia-smi 95830 MiB minus 586 MiB → 93.01 GiB. Pairs are bridged by NVLink (600 GB/s bidir); modelled as PCIe Gen5 for TP > 2.`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod H100 NVL; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'H200',
    name: 'NVIDIA H200 SXM 141GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['H200 SXM', 'NVIDIA H200', 'H200-141GB'],
    // MEASURED: vLLM log "total_gpu_memory (139.81GiB)"; torch total_memory=143156MB (139.80 GiB).
    memoryBytes: loggedGiB(139.81),
    memBandwidthBytesPerS: 4.8 * TB,
    denseTflops: { fp32: 66.9, bf16: 989.4, fp16: 989.4, fp8: 1978.9, int8: 1978.9 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK4_BYTES_PER_S, gpusPerNode: 8 },
    network: DGX_H100_NETWORK,
    tdpWatts: 700,
    priceUsdPerHour: 3.59,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/h200/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: vLLM worker log 139.81 GiB; torch total_memory=143156MB. Compute equals H100 SXM.`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod H200 SXM; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'H20',
    name: 'NVIDIA H20 96GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['NVIDIA H20', 'H20-96GB'],
    // MEASURED: torch total_memory=97285MB (95.00 GiB); a vLLM log also prints total_gpu_memory (95.00GiB).
    memoryBytes: 97_285 * MiB,
    memBandwidthBytesPerS: 4.0 * TB,
    denseTflops: { fp32: 44, bf16: 148, fp16: 148, fp8: 296, int8: 296 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK4_BYTES_PER_S, gpusPerNode: 8 },
    network: DGX_H100_NETWORK,
    tdpWatts: 400,
    priceUsdPerHour: 1.5,
    source: {
      url: 'https://semianalysis.com/2023/11/09/nvidias-new-china-ai-chips-circumvent/',
      retrieved: COMPILED,
      note: 'No public NVIDIA datasheet page; figures as reported from partner spec sheets (148 TFLOPS BF16, 296 FP8 dense, 4.0 TB/s, 900 GB/s NVLink). Memory MEASURED: torch total_memory=97285MB.',
    },
    priceSource: {
      url: RUNPOD_PRICING,
      retrieved: COMPILED,
      note: 'ESTIMATE: sold in China only; no Western on-demand list price found. Set to ~40 % of an H100 SXM hour.',
    },
  },
  {
    id: 'GH200',
    name: 'NVIDIA GH200 Grace Hopper 96GB',
    vendor: 'nvidia',
    generation: 'hopper',
    aliases: ['GH200 480GB', 'NVIDIA GH200 480GB', 'Grace Hopper', 'GH200-96GB'],
    // ESTIMATED: nvidia-smi 97,871 MiB (same as H20) − 586 MiB (H20 reservation) = 97,285 MiB.
    memoryBytes: (97_871 - 586) * MiB,
    memBandwidthBytesPerS: 4.0 * TB,
    denseTflops: { fp32: 67, bf16: 989.4, fp16: 989.4, fp8: 1978.9, int8: 1978.9 },
    // A quad GH200 node (HPE Cray EX254n, as at CSCS Alps): 4 GH200 joined all-to-all by NVLink 4, 150 GB/s
    // one way per GPU pair; one 200 Gb/s Slingshot-11 NIC per GPU between nodes.
    interconnect: { kind: 'nvlink', bytesPerS: 150 * GB, gpusPerNode: 4 },
    network: {
      kind: 'ethernet',
      bytesPerS: HDR_200G_BYTES_PER_S,
      source: { url: 'https://docs.cscs.ch/alps/hardware/', note: 'Alps GH200 nodes: 4 × GH200, NVLink all-to-all (150 GB/s per direction per pair), 4 × Slingshot-11 200 Gb/s NICs' },
    },
    tdpWatts: 1000,
    priceUsdPerHour: 1.49,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/grace-hopper-superchip/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. 96 GB HBM3 variant (a 144 GB HBM3e variant exists). Memory ESTIMATED (header rule) → 95.00 GiB. Node = the quad GH200 node of HPE Cray EX254n systems (a rented 1x GH200 is one of its GPUs); TDP is the module (CPU+GPU+memory) upper bound.`,
    },
    priceSource: { url: 'https://lambda.ai/pricing', retrieved: COMPILED, note: `Lambda 1x GH200; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'B200',
    name: 'NVIDIA B200 SXM 180GB',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['NVIDIA B200', 'HGX B200', 'B200-180GB'],
    // MEASURED: torch total_memory=182631MB and 182642MB; a CUDA device query prints 178.35 GB (GiB).
    memoryBytes: 182_631 * MiB,
    memBandwidthBytesPerS: 8.0 * TB,
    denseTflops: { fp32: 75, bf16: 2250, fp16: 2250, fp8: 4500, int8: 4500, fp4: 9000 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK5_BYTES_PER_S, gpusPerNode: 8 },
    network: DGX_B200_NETWORK,
    tdpWatts: 1000,
    priceUsdPerHour: 5.98,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/hgx/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} (HGX B200, per GPU = system ÷ 8, dense). Memory MEASURED 178.35 GiB (torch total_memory=182631MB). Drivers now report a 7680-bit bus: 7.67 TB/s effective (pytorch/ao PR #4002).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod B200; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'GB200',
    name: 'NVIDIA GB200 NVL72 (per GPU, 186GB)',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['NVIDIA GB200', 'GB200 NVL72', 'GB200-NVL72'],
    // ESTIMATED: nvidia-smi 189,471 MiB − 728 MiB (B200 reservation) = 188,743 MiB.
    memoryBytes: (189_471 - 728) * MiB,
    memBandwidthBytesPerS: 8.0 * TB,
    denseTflops: { fp32: 80, bf16: 2500, fp16: 2500, fp8: 5000, int8: 5000, fp4: 10000 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK5_BYTES_PER_S, gpusPerNode: 72 },
    network: GB200_NETWORK,
    tdpWatts: 1200,
    priceUsdPerHour: 10.5,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/gb200-nvl72/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}; rack figures ÷ 72, sparse halved (FP4 1440 PF sparse → 10 PF dense per GPU). Memory ESTIMATED (header rule) → 184.32 GiB. NVLink domain = 72 GPUs.`,
    },
    priceSource: {
      url: 'https://www.coreweave.com/pricing',
      retrieved: COMPILED,
      note: `CoreWeave GB200 NVL72 instance $42.00/h for 4 GPUs; ${UNVERIFIED_PRICE}`,
    },
  },
  {
    id: 'B300',
    name: 'NVIDIA B300 SXM 288GB (Blackwell Ultra)',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['NVIDIA B300', 'B300 SXM6', 'NVIDIA B300 SXM6 AC', 'HGX B300', 'Blackwell Ultra'],
    // ESTIMATED: nvidia-smi 275,040 MiB − 728 MiB (B200 reservation) = 274,312 MiB.
    memoryBytes: (275_040 - 728) * MiB,
    memBandwidthBytesPerS: 8.0 * TB,
    // Blackwell Ultra trades INT8 and FP64 throughput for FP4; INT8 left out on purpose.
    denseTflops: { fp32: 75, bf16: 2250, fp16: 2250, fp8: 4500, fp4: 13500 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK5_BYTES_PER_S, gpusPerNode: 8 },
    network: CONNECTX8_NETWORK,
    tdpWatts: 1100,
    priceUsdPerHour: 7.0,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/hgx/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} (HGX B300 ÷ 8: FP4 108 PF dense, FP8 36 PF dense). Memory ESTIMATED (header rule) → 267.88 GiB from nvidia-smi 275040 MiB.`,
    },
    priceSource: {
      url: 'https://lambda.ai/pricing',
      retrieved: COMPILED,
      note: 'ESTIMATE: no public per-GPU on-demand list price found; set ~17 % above B200.',
    },
  },
  {
    id: 'GB300',
    name: 'NVIDIA GB300 NVL72 (per GPU, 288GB, Blackwell Ultra)',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['NVIDIA GB300', 'GB300 NVL72', 'GB300-NVL72'],
    // ESTIMATED: the B300's 288 GB HBM3e stacks (nvidia-smi 275,040 MiB) − 728 MiB (B200 reservation).
    memoryBytes: (275_040 - 728) * MiB,
    memBandwidthBytesPerS: 8.0 * TB,
    denseTflops: { fp32: 80, bf16: 2500, fp16: 2500, fp8: 5000, fp4: 15000 },
    interconnect: { kind: 'nvlink', bytesPerS: NVLINK5_BYTES_PER_S, gpusPerNode: 72 },
    network: {
      kind: 'infiniband',
      bytesPerS: XDR_800G_BYTES_PER_S,
      source: { url: 'https://www.nvidia.com/en-us/data-center/gb300-nvl72/', note: 'GB300 NVL72: ConnectX-8 SuperNIC 800 Gb/s per GPU between racks' },
    },
    tdpWatts: 1400,
    priceUsdPerHour: 12.0,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/gb300-nvl72/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}; rack figures ÷ 72 (FP4 1,080 PF dense → 15 PF per GPU; FP8 and BF16 as GB200, INT8 cut as on B300). Memory ESTIMATED as B300 (same HBM3e) → 267.88 GiB. NVLink domain = 72 GPUs.`,
    },
    priceSource: {
      url: 'https://www.coreweave.com/pricing',
      retrieved: COMPILED,
      note: 'ESTIMATE: no public per-GPU on-demand list price found; set ~15 % above GB200.',
    },
  },
  {
    id: 'DGX-SPARK',
    name: 'NVIDIA DGX Spark (GB10, 128GB unified)',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['DGX Spark', 'GB10', 'NVIDIA GB10', 'Spark'],
    // MEASURED, UNIFIED MEMORY: CPU and GPU share 128 GB of LPDDR5x. CUDA reports the OS-visible pool as the
    // device total: a trtllm-serve log on GB10 shows a 119.70 GiB device (fixtures/truth/engine_memory_calibration.csv
    // trt-gptoss120b-gb10, where "outside torch" is 49 GiB: the OS and page cache); the OS, desktop and CPU processes live in the same
    // pool, so what they hold is "memory already used by other processes": vLLM still takes total × utilization
    // as its budget but needs that much FREE at start (lower the utilization accordingly).
    memoryBytes: loggedGiB(119.7),
    memBandwidthBytesPerS: 273 * GB,
    // "1 PFLOP FP4 with sparsity" → 500 dense; FP8 and BF16 ESTIMATED at half per precision step (Blackwell ratios).
    denseTflops: { fp32: 31, bf16: 125, fp16: 125, fp8: 250, int8: 250, fp4: 500 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 1 },
    network: {
      kind: 'ethernet',
      bytesPerS: 200e9 / 8,
      source: { url: 'https://www.nvidia.com/en-us/products/workstations/dgx-spark/', note: 'ConnectX-7 200 Gb/s (two Sparks linked back to back)' },
    },
    tdpWatts: 240,
    priceUsdPerHour: 0.15,
    source: {
      url: 'https://www.nvidia.com/en-us/products/workstations/dgx-spark/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Unified memory: 128 GB LPDDR5x shared by CPU and GPU, 273 GB/s; memory MEASURED 119.70 GiB as CUDA reports it (a trtllm-serve log; see the comment on memoryBytes). TDP is the whole system's.`,
    },
    priceSource: {
      url: 'https://www.nvidia.com/en-us/products/workstations/dgx-spark/',
      retrieved: COMPILED,
      note: 'ESTIMATE: bought, not rented: $3,999 list amortized over 3 years of continuous use ≈ $0.15/h (power not included).',
    },
  },
  {
    id: 'A100-80GB',
    name: 'NVIDIA A100 SXM 80GB',
    vendor: 'nvidia',
    generation: 'ampere',
    aliases: ['A100', 'A100 80GB', 'A100-SXM4-80GB', 'NVIDIA A100-SXM4-80GB', 'A100 SXM', 'A100-SXM-80GB'],
    // MEASURED: vLLM logs "total_gpu_memory (79.15GiB)" and PyTorch OOM "total capacity of 79.15 GiB" on A100 80GB.
    memoryBytes: loggedGiB(79.15),
    memBandwidthBytesPerS: 2.039 * TB,
    denseTflops: { fp32: 19.5, bf16: 312, fp16: 312, int8: 624 },
    interconnect: { kind: 'nvlink', bytesPerS: 300 * GB, gpusPerNode: 8 },
    network: DGX_A100_NETWORK,
    tdpWatts: 400,
    priceUsdPerHour: 2.5,
    source: {
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: 79.15 GiB in vLLM logs (nvidia-smi 81920 MiB). NVLink 3: 600 GB/s bidir. No FP8 tensor cores.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Modal A100 80GB $2.4984/h' },
  },
  {
    id: 'A100-40GB',
    name: 'NVIDIA A100 SXM 40GB',
    vendor: 'nvidia',
    generation: 'ampere',
    aliases: ['A100 40GB', 'A100-SXM4-40GB', 'NVIDIA A100-SXM4-40GB', 'A100-40G'],
    // MEASURED: PyTorch OOM "total capacity of 39.50 GiB" on an A100 40GB.
    memoryBytes: loggedGiB(39.5),
    memBandwidthBytesPerS: 1.555 * TB,
    denseTflops: { fp32: 19.5, bf16: 312, fp16: 312, int8: 624 },
    interconnect: { kind: 'nvlink', bytesPerS: 300 * GB, gpusPerNode: 8 },
    network: DGX_A100_NETWORK,
    tdpWatts: 400,
    priceUsdPerHour: 1.48,
    source: {
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: PyTorch OOM message 39.50 GiB (get_device_properties says 40536MB = 39.59 GiB; mem_get_info is what vLLM reads).`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Lambda 1x A100 40GB on-demand' },
  },
  {
    id: 'A10G',
    name: 'NVIDIA A10G 24GB (AWS)',
    vendor: 'nvidia',
    generation: 'ampere',
    aliases: ['NVIDIA A10G', 'A10G-24GB'],
    // MEASURED: torch total_memory=22587MB (22.06 GiB).
    memoryBytes: 22_587 * MiB,
    memBandwidthBytesPerS: 600 * GB,
    denseTflops: { fp32: 31.2, bf16: 70, fp16: 70, int8: 140 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 300,
    priceUsdPerHour: 1.006,
    source: {
      url: 'https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/',
      retrieved: COMPILED,
      note: 'AWS-only variant; NVIDIA publishes no datasheet. Tensor 70 TFLOPS FP16 / 140 TOPS INT8 (dense) per Baseten\'s comparison. Memory MEASURED: torch total_memory=22587MB.',
    },
    priceSource: {
      url: 'https://aws.amazon.com/ec2/instance-types/g5/',
      retrieved: COMPILED,
      note: `g5.xlarge us-east-1 on-demand (1 GPU, includes 4 vCPU); ${UNVERIFIED_PRICE}`,
    },
  },
  {
    id: 'A10',
    name: 'NVIDIA A10 24GB',
    vendor: 'nvidia',
    generation: 'ampere',
    aliases: ['NVIDIA A10', 'A10-24GB'],
    // ESTIMATED: same board memory as A10G (nvidia-smi 23,028 MiB) → same runtime total as the measured A10G.
    memoryBytes: (23_028 - 441) * MiB,
    memBandwidthBytesPerS: 600 * GB,
    denseTflops: { fp32: 31.2, bf16: 125, fp16: 125, int8: 250 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 150,
    priceUsdPerHour: 0.86,
    source: {
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/datasheet-new/nvidia-a10-datasheet.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 250/500 halved. Memory ESTIMATED (header rule, A10G reservation) → 22.06 GiB.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Lambda 1x A10 on-demand' },
  },
  {
    id: 'A6000',
    name: 'NVIDIA RTX A6000 48GB',
    vendor: 'nvidia',
    generation: 'ampere',
    aliases: ['RTX A6000', 'NVIDIA RTX A6000', 'A6000-48GB'],
    // ESTIMATED: 47.54 GiB, the total PyTorch OOM messages on A6000 commonly print (not re-checked here).
    memoryBytes: loggedGiB(47.54),
    memBandwidthBytesPerS: 768 * GB,
    denseTflops: { fp32: 38.7, bf16: 154.8, fp16: 154.8, int8: 309.7 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 300,
    priceUsdPerHour: 0.49,
    source: {
      url: 'https://www.nvidia.com/en-us/design-visualization/rtx-a6000/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 309.7 halved. Memory ESTIMATED at 47.54 GiB (commonly printed PyTorch total; not verified in this session).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod RTX A6000; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'L4',
    name: 'NVIDIA L4 24GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['NVIDIA L4', 'L4-24GB'],
    // ESTIMATED: nvidia-smi 23,034 MiB − 441 MiB (A10G reservation, same 24 GB GDDR6 ECC class).
    memoryBytes: (23_034 - 441) * MiB,
    memBandwidthBytesPerS: 300 * GB,
    denseTflops: { fp32: 30.3, bf16: 121, fp16: 121, fp8: 242.5, int8: 242.5 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 72,
    priceUsdPerHour: 0.8,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/l4/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 242/485 halved. Memory ESTIMATED (header rule) → 22.06 GiB.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Modal L4 $0.7992/h' },
  },
  {
    id: 'L40',
    name: 'NVIDIA L40 48GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['NVIDIA L40', 'L40-48GB'],
    // ESTIMATED: same 48 GB GDDR6 ECC board as L40S (nvidia-smi 46,068 MiB) → L40S's measured 44.39 GiB.
    memoryBytes: loggedGiB(44.39),
    memBandwidthBytesPerS: 864 * GB,
    denseTflops: { fp32: 90.5, bf16: 181, fp16: 181, fp8: 362, int8: 362 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 300,
    priceUsdPerHour: 0.99,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/l40/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 362/724 halved. Memory ESTIMATED = L40S measured (same board memory).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod L40; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'L40S',
    name: 'NVIDIA L40S 48GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['NVIDIA L40S', 'L40S-48GB'],
    // MEASURED: vLLM logs "total_gpu_memory (44.39GiB)" (also 44.31/44.35); torch total_memory=45589MB.
    memoryBytes: loggedGiB(44.39),
    memBandwidthBytesPerS: 864 * GB,
    denseTflops: { fp32: 91.6, bf16: 362.05, fp16: 362.05, fp8: 733, int8: 733 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 350,
    priceUsdPerHour: 1.95,
    source: {
      url: 'https://www.nvidia.com/en-us/data-center/l40s/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 733/1466 halved. Memory MEASURED: vLLM logs 44.31–44.39 GiB.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Modal L40S $1.9512/h' },
  },
  {
    id: 'L20',
    name: 'NVIDIA L20 48GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['NVIDIA L20', 'L20-48GB'],
    // ESTIMATED: 48 GB GDDR6 ECC like L40S (nvidia-smi 46,068 MiB) → L40S's measured 44.39 GiB.
    memoryBytes: loggedGiB(44.39),
    memBandwidthBytesPerS: 864 * GB,
    denseTflops: { fp32: 59.8, bf16: 119.5, fp16: 119.5, fp8: 239, int8: 239 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 275,
    priceUsdPerHour: 0.9,
    source: {
      url: 'https://www.techpowerup.com/gpu-specs/l20.c4206',
      retrieved: COMPILED,
      note: 'China-market Ada part; no public NVIDIA datasheet page. 119.5 TFLOPS BF16 / 239 FP8 dense as reported. Memory ESTIMATED = L40S measured.',
    },
    priceSource: {
      url: RUNPOD_PRICING,
      retrieved: COMPILED,
      note: 'ESTIMATE: no Western on-demand list found; set near L40.',
    },
  },
  {
    id: 'V100',
    name: 'NVIDIA V100 SXM2 16GB',
    vendor: 'nvidia',
    generation: 'volta',
    aliases: ['Tesla V100', 'V100-SXM2-16GB', 'Tesla V100-SXM2-16GB', 'V100 16GB'],
    // MEASURED: torch total_memory=16160MB (15.78 GiB) in many logs.
    memoryBytes: 16_160 * MiB,
    memBandwidthBytesPerS: 900 * GB,
    // No BF16 or INT8 tensor cores: fp16 only.
    denseTflops: { fp32: 15.7, fp16: 125 },
    interconnect: { kind: 'nvlink', bytesPerS: 150 * GB, gpusPerNode: 8 },
    tdpWatts: 300,
    priceUsdPerHour: 3.06,
    source: {
      url: 'https://images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. NVLink 2: 300 GB/s bidir. Memory MEASURED: torch total_memory=16160MB. vLLM runs it in fp16 (no bf16).`,
    },
    priceSource: {
      url: 'https://aws.amazon.com/ec2/instance-types/p3/',
      retrieved: COMPILED,
      note: `p3.2xlarge us-east-1 on-demand (1 GPU); ${UNVERIFIED_PRICE}`,
    },
  },
  {
    id: 'T4',
    name: 'NVIDIA T4 16GB',
    vendor: 'nvidia',
    generation: 'turing',
    aliases: ['Tesla T4', 'NVIDIA T4', 'T4-16GB'],
    // MEASURED: vLLM logs "total_gpu_memory (14.56GiB)" (several); torch total_memory ≈ 15102MB.
    memoryBytes: loggedGiB(14.56),
    memBandwidthBytesPerS: 320 * GB,
    denseTflops: { fp32: 8.1, fp16: 65, int8: 130, int4: 260 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE3_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 70,
    priceUsdPerHour: 0.59,
    source: {
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Memory MEASURED: vLLM logs 14.56 GiB (14.74 in some drivers). No bf16: vLLM uses fp16.`,
    },
    priceSource: { url: TECHBYTES_PRICES, retrieved: '2026-05-07', note: 'Modal T4 $0.5904/h' },
  },
  {
    id: 'RTX-4090',
    name: 'NVIDIA GeForce RTX 4090 24GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['RTX 4090', 'GeForce RTX 4090', 'NVIDIA GeForce RTX 4090', '4090'],
    // MEASURED: PyTorch OOM "23.65 GiB total capacity" on RTX 4090; vLLM logs 23.65 GiB.
    memoryBytes: loggedGiB(23.65),
    memBandwidthBytesPerS: 1008 * GB,
    denseTflops: { fp32: 82.6, bf16: 165.2, fp16: 165.2, fp8: 330.3, int8: 660.6, int4: 1321.2 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 450,
    priceUsdPerHour: 0.69,
    source: {
      url: 'https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} (Ada whitepaper, FP32-accumulate rates, dense). Memory MEASURED: 23.65 GiB (torch total_memory=24563MB; newer drivers report up to 23.99 GiB).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod RTX 4090 secure cloud; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-5090',
    name: 'NVIDIA GeForce RTX 5090 32GB',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['RTX 5090', 'GeForce RTX 5090', 'NVIDIA GeForce RTX 5090', '5090'],
    // MEASURED: vLLM log "total_gpu_memory (31.37GiB)" on a 5090 setup (nvidia-smi 32,607 MiB).
    memoryBytes: loggedGiB(31.37),
    memBandwidthBytesPerS: 1792 * GB,
    denseTflops: { fp32: 104.8, bf16: 209.5, fp16: 209.5, fp8: 419, int8: 838, fp4: 1676 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 575,
    priceUsdPerHour: 0.89,
    source: {
      url: 'https://images.nvidia.com/aem-dam/Solutions/geforce/blackwell/nvidia-rtx-blackwell-gpu-architecture.pdf',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} (Blackwell whitepaper, FP32-accumulate rates, dense; FP4 "3352 AI TOPS" is sparse). Memory MEASURED: a vLLM log shows 31.37 GiB (GPU named in the surrounding setup notes, not in the log line).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod RTX 5090; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-4080',
    name: 'NVIDIA GeForce RTX 4080 16GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['RTX 4080', 'GeForce RTX 4080', 'NVIDIA GeForce RTX 4080', '4080'],
    memoryBytes: ADA_16GB_RUNTIME_BYTES,
    memBandwidthBytesPerS: 716.8 * GB,
    // 76 SMs at 2.505 GHz: × 0.590 of the RTX 4090 row.
    denseTflops: { fp32: 48.8, bf16: 97.5, fp16: 97.5, fp8: 195, int8: 389.9, int4: 779.8 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 320,
    priceUsdPerHour: 0.25,
    source: {
      url: ADA_WHITEPAPER,
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}; ${SCALED_NOTE}. 16 GB GDDR6X, 256-bit at 22.4 Gb/s. Memory ESTIMATED (Ada 16 GB rule) → 15.65 GiB.`,
    },
    priceSource: { url: VAST_PRICING, retrieved: COMPILED, note: `vast.ai marketplace RTX 4080, typical; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-4060-TI-16GB',
    name: 'NVIDIA GeForce RTX 4060 Ti 16GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['RTX 4060 Ti', 'RTX 4060 Ti 16GB', 'GeForce RTX 4060 Ti', 'NVIDIA GeForce RTX 4060 Ti', '4060 Ti'],
    memoryBytes: ADA_16GB_RUNTIME_BYTES,
    memBandwidthBytesPerS: 288 * GB,
    // 34 SMs at 2.535 GHz: × 0.267 of the RTX 4090 row.
    denseTflops: { fp32: 22.1, bf16: 44.1, fp16: 44.1, fp8: 88.3, int8: 176.5, int4: 353 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 165,
    priceUsdPerHour: 0.12,
    source: {
      url: 'https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4060-4060ti/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}; ${SCALED_NOTE}. 16 GB GDDR6, 128-bit at 18 Gb/s (PCIe 4.0 x8). Memory ESTIMATED (Ada 16 GB rule) → 15.65 GiB.`,
    },
    priceSource: { url: VAST_PRICING, retrieved: COMPILED, note: `vast.ai marketplace RTX 4060 Ti 16GB, typical; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-5060-TI-16GB',
    name: 'NVIDIA GeForce RTX 5060 Ti 16GB',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: ['RTX 5060 Ti', 'RTX 5060 Ti 16GB', 'GeForce RTX 5060 Ti', 'NVIDIA GeForce RTX 5060 Ti', '5060 Ti'],
    memoryBytes: BLACKWELL_16GB_RUNTIME_BYTES,
    memBandwidthBytesPerS: 448 * GB,
    // 36 SMs at 2.572 GHz: × 0.226 of the RTX 5090 row.
    denseTflops: { fp32: 23.7, bf16: 47.4, fp16: 47.4, fp8: 94.8, int8: 189.7, fp4: 379.3 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 180,
    priceUsdPerHour: 0.15,
    source: {
      url: 'https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5060-family/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}; ${SCALED_NOTE}. 16 GB GDDR7, 128-bit at 28 Gb/s (PCIe 5.0 x8). Memory ESTIMATED (consumer Blackwell rule) → 15.37 GiB.`,
    },
    priceSource: { url: VAST_PRICING, retrieved: COMPILED, note: `vast.ai marketplace RTX 5060 Ti 16GB, typical; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-6000-ADA',
    name: 'NVIDIA RTX 6000 Ada Generation 48GB',
    vendor: 'nvidia',
    generation: 'ada',
    aliases: ['RTX 6000 Ada', 'NVIDIA RTX 6000 Ada Generation', 'RTX6000 Ada', '6000 Ada'],
    // MEASURED: torch total_memory=48622MB (47.48 GiB).
    memoryBytes: 48_622 * MiB,
    memBandwidthBytesPerS: 960 * GB,
    denseTflops: { fp32: 91.1, bf16: 364.2, fp16: 364.2, fp8: 728.5, int8: 728.5 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE4_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 300,
    priceUsdPerHour: 0.77,
    source: {
      url: 'https://www.nvidia.com/en-us/design-visualization/rtx-6000/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Sparse 728.5/1457 halved. Memory MEASURED: torch total_memory=48622MB (mem_get_info may be ~0.1 GiB lower).`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod RTX 6000 Ada; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'RTX-PRO-6000',
    name: 'NVIDIA RTX PRO 6000 Blackwell 96GB',
    vendor: 'nvidia',
    generation: 'blackwell',
    aliases: [
      'RTX PRO 6000 Blackwell',
      'RTX PRO 6000',
      'NVIDIA RTX PRO 6000 Blackwell Server Edition',
      'RTX PRO 6000 Blackwell Server Edition',
      'RTX PRO 6000 Blackwell Workstation Edition',
      'RTX-PRO-6000-BLACKWELL',
    ],
    // MEASURED: torch total_memory=97250MB (94.97 GiB), Server Edition.
    memoryBytes: 97_250 * MiB,
    memBandwidthBytesPerS: 1792 * GB,
    // 188 SMs × 2.617 GHz × 1024 dense BF16 FLOP/clk/SM (full-rate FP32 accumulate on pro parts).
    denseTflops: { fp32: 126, bf16: 503.8, fp16: 503.8, fp8: 1007.6, int8: 1007.6, fp4: 2015.2 },
    interconnect: { kind: 'pcie', bytesPerS: PCIE5_BYTES_PER_S, gpusPerNode: 8 },
    tdpWatts: 600,
    priceUsdPerHour: 1.79,
    source: {
      url: 'https://www.nvidia.com/en-us/products/workstations/professional-desktop-gpus/rtx-pro-6000/',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} ("4000 AI TOPS" FP4 is sparse; dense rates derived from SM count × clock). Memory MEASURED: torch total_memory=97250MB.`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod RTX PRO 6000; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'MI300X',
    name: 'AMD Instinct MI300X 192GB',
    vendor: 'amd',
    generation: 'cdna3',
    aliases: ['AMD Instinct MI300X', 'Instinct MI300X', 'MI300X-192GB'],
    // MEASURED: vLLM log "total_gpu_memory (191.45GiB)"; torch total_memory=196592MB (191.98 GiB).
    memoryBytes: loggedGiB(191.45),
    memBandwidthBytesPerS: 5.3 * TB,
    denseTflops: { fp32: 163.4, bf16: 1307.4, fp16: 1307.4, fp8: 2614.9, int8: 2614.9 },
    interconnect: { kind: 'xgmi', bytesPerS: 448 * GB, gpusPerNode: 8 },
    network: AMD_ROCE_NETWORK,
    tdpWatts: 750,
    priceUsdPerHour: 2.49,
    source: {
      url: 'https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Infinity Fabric 896 GB/s aggregate bidir (7 links) → 448 GB/s one way. Memory MEASURED: vLLM 191.45 GiB.`,
    },
    priceSource: { url: RUNPOD_PRICING, retrieved: COMPILED, note: `RunPod MI300X; ${UNVERIFIED_PRICE}` },
  },
  {
    id: 'MI325X',
    name: 'AMD Instinct MI325X 256GB',
    vendor: 'amd',
    generation: 'cdna3',
    aliases: ['AMD Instinct MI325X', 'Instinct MI325X', 'MI325X-256GB'],
    // ESTIMATED: 256 GiB of HBM3E minus the 0.55 GiB ROCm keeps on MI300X (192 GiB → 191.45 GiB in vLLM).
    memoryBytes: loggedGiB(256 - 0.55),
    memBandwidthBytesPerS: 6.0 * TB,
    denseTflops: { fp32: 163.4, bf16: 1307.4, fp16: 1307.4, fp8: 2614.9, int8: 2614.9 },
    interconnect: { kind: 'xgmi', bytesPerS: 448 * GB, gpusPerNode: 8 },
    network: AMD_ROCE_NETWORK,
    tdpWatts: 1000,
    priceUsdPerHour: 2.25,
    source: {
      url: 'https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE}. Compute equals MI300X. Memory ESTIMATED (MI300X reservation) → 255.45 GiB.`,
    },
    priceSource: {
      url: 'https://tensorwave.com/pricing',
      retrieved: COMPILED,
      note: `TensorWave MI325X on-demand; ${UNVERIFIED_PRICE}`,
    },
  },
  {
    id: 'MI355X',
    name: 'AMD Instinct MI355X 288GB',
    vendor: 'amd',
    generation: 'cdna4',
    aliases: ['AMD Instinct MI355X', 'Instinct MI355X', 'MI355X-288GB'],
    // ESTIMATED: 288 GiB of HBM3E minus the MI300X reservation (0.55 GiB).
    memoryBytes: loggedGiB(288 - 0.55),
    memBandwidthBytesPerS: 8.0 * TB,
    denseTflops: { fp32: 157.3, bf16: 2516.6, fp16: 2516.6, fp8: 5033.2, int8: 5033.2, fp4: 10066.3 },
    interconnect: { kind: 'xgmi', bytesPerS: 537.6 * GB, gpusPerNode: 8 },
    network: AMD_ROCE_NETWORK,
    tdpWatts: 1400,
    priceUsdPerHour: 3.0,
    source: {
      url: 'https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html',
      retrieved: COMPILED,
      note: `${DATASHEET_NOTE} (dense; MXFP4/MXFP6 10 PF). Infinity Fabric 1075 GB/s aggregate bidir → 537.6 one way. Memory ESTIMATED (MI300X reservation) → 287.45 GiB.`,
    },
    priceSource: {
      url: 'https://www.vultr.com/pricing/',
      retrieved: COMPILED,
      note: 'ESTIMATE: no stable public on-demand list price found; set ~20 % above MI325X.',
    },
  },
] as const satisfies readonly CatalogGpu[];

/** Lower-case and drop spaces, underscores and hyphens: "RTX PRO 6000" ≡ "rtx-pro_6000" ≡ "RTXPRO6000". */
export function normalizeGpuQuery(query: string): string {
  return query.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Vendor prefixes users and logs put in front of names ("NVIDIA H100 NVL", "AMD Instinct MI300X"). */
const VENDOR_PREFIXES = ['nvidia', 'amdinstinct', 'amd', 'instinct', 'geforce', 'tesla'] as const;

const INDEX: ReadonlyMap<string, CatalogGpu> = (() => {
  const index = new Map<string, CatalogGpu>();
  for (const gpu of GPU_CATALOG) {
    for (const key of [gpu.id, gpu.name, ...gpu.aliases]) {
      const normalized = normalizeGpuQuery(key);
      const existing = index.get(normalized);
      if (existing !== undefined && existing.id !== gpu.id) {
        throw new Error(`GPU alias "${key}" is claimed by both ${existing.id} and ${gpu.id}`);
      }
      index.set(normalized, gpu);
    }
  }
  return index;
})();

/**
 * Finds a catalog GPU by id, name or alias, case-insensitively and ignoring spaces, underscores and hyphens.
 * A leading vendor word ("NVIDIA", "AMD Instinct", "GeForce", "Tesla") is also ignored.
 * "A100" is the 80 GB SXM part, "H100" (and "H100-80GB") the SXM one.
 */
export function findGpu(query: string): CatalogGpu | undefined {
  let key = normalizeGpuQuery(query);
  for (;;) {
    const hit = INDEX.get(key);
    if (hit !== undefined) return hit;
    const prefix = VENDOR_PREFIXES.find((p) => key.startsWith(p) && key.length > p.length);
    if (prefix === undefined) return undefined;
    key = key.slice(prefix.length);
  }
}
