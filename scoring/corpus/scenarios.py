"""What a company spends on: each scenario is one kind of expense with its labelling rule, its vendors, the
accounts it is booked to, the ways its memo is written and how much and how often it occurs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    id: str
    rule: str
    vendor_kind: str  # a vendors.py kind, "contractor" (marketplace or person) or "" (journal entries)
    accounts: tuple[tuple[str, float], ...]
    templates: tuple[str, ...]
    info: float  # chance a line's memo states its purpose rather than a bank feed or bill number
    amount: tuple[float, float]  # median and log-sigma
    rate: float  # lines a year for a mid-size company at industry weight 1
    near: str = "supplies"  # the category a reviewer would give it when qualifying it by mistake
    streams: tuple[int, int] = (1, 2)  # how many vendors or engagements a company has for it


_CLOUD_DEV = (
    "{v} - dev/staging account {acct}", "{v} {mon} {yr} - research sandbox",
    "{v} usage - ML experiments ({proj})",
    "{v} invoice {inv} - non-prod environments", "{v} charges: staging + dev clusters",
    "{v} - R&D account {acct} - {mon}", "Compute for {proj} prototype - {v}",
    "{v} - test environment for {proj}",
    "{v} linked acct {acct} (research) {mon} usage", "{v} spend - data science workbench",
    "{v} - load testing new architecture", "{v} batch jobs - feature experiments",
    "Cloud bill {mon} - engineering sandbox", "{v} - CI build agents and test runners",
    "{v} - benchmarking candidate designs for {proj}", "Amortize prepaid {v} commitment - dev/test share",
    "{v} - experiment tracking cluster {mon}", "{v} - bioinformatics pipeline development",
    "{v} - simulation runs for design study", "{v} - prototype backend ({proj}) dev env",
    "{v} notebooks - exploratory modeling", "{v} - QA/perf test environment",
    "{v} org: engineering-dev {mon}", "Dev infra {v} {mon} {yr}",
)
_CLOUD_PROD = (
    "{v} - production {mon} {yr}", "{v} prod account {acct}", "{v} - customer-facing platform hosting",
    "Hosting - live app {v} {mon}", "{v} invoice {inv} - production cluster",
    "{v} - customer environments (tenant hosting)", "{v} CDN + prod databases", "{v} - production workloads",
    "{v} - hosting for client sites", "Prod infra {v} {mon}", "{v} reserved instances - production",
    "{v} - SaaS platform serving customers", "{v} - live game servers",
    "{v} - data warehouse for BI reporting",
    "{v} - prod backups and DR", "Amortize prepaid {v} commitment - production share",
    "{v} - payments backend (prod)", "{v} - customer data storage {mon}", "{v} org: production {mon}",
    "{v} - web/app servers, live traffic", "{v} - marketing website hosting",
    "Production hosting {v} {mon} {yr}",
)
_GPU_TRAIN = (
    "{v} - {gpu} cluster, training runs {proj}", "{v} {gpu} hours - ablation study",
    "GPU rental {v} - hyperparameter sweep", "{v} on-demand {gpu} - model experiments",
    "{v} - pretraining experiment {proj}", "{v} invoice {inv} - fine-tuning trials",
    "{v} - eval runs for candidate architectures", "{v} {gpu} - research cluster {mon}",
    "{v} - distillation experiments", "{v} - training compute, {proj} v{n}", "Research compute {v} {mon}",
    "{v} - RL training runs", "{v} - benchmark of parallelism configs", "{v} spot instances - sweep #{n}",
    "{v} - {gpu} for model R&D", "{v} - reserved {gpu} block for training experiments",
    "{v} - kernel performance benchmarks", "Training run {proj}-{n} on {v}",
)
_GPU_SERVE = (
    "{v} - inference endpoints (production)", "{v} {gpu} reserved - serving customer traffic",
    "{v} - production inference cluster {mon}", "{v} - model serving for paying customers",
    "{v} invoice {inv} - prod inference", "{v} - autoscaling inference nodes",
    "{v} - hosted model API for clients",
    "{v} - dedicated serving capacity", "{v} - live inference ({proj} app)",
    "GPU serving {v} {mon} - production",
    "{v} {gpu} - customer workloads", "{v} - batch inference for client deliverables",
    "{v} - production embeddings service", "Inference {v} {mon} {yr} (COGS)",
)
_LLM_EVAL = (
    "{v} API - evaluation harness runs", "{v} usage - eval suite for retrieval experiments",
    "{v} tokens - benchmark comparisons ({model})", "{v} API - LLM-as-judge scoring of candidates",
    "{v} - research API usage {mon}", "{v} API - prompt pipeline experiments",
    "{v} - fine-tuning experiment ({model})", "{v} - synthetic eval set generation",
    "{v} key: research-eval - {mon}", "{v} - ablation of reranker with {model}",
    "{v} API credits - R&D sandbox", "{v} batch API - offline evaluation",
    "{v} - agent orchestration experiments", "{v} - comparing {model} against baseline",
    "{v} project: eval-harness {mon}", "{v} - red-team test runs, prototype",
)
_LLM_INFERENCE = (
    "{v} API - production usage {mon}", "{v} - customer-facing chat inference",
    "{v} API costs (COGS) - {model}",
    "{v} - inference for paying customers", "{v} key: prod - {mon}", "{v} tokens - live app traffic",
    "{v} usage - customer support bot", "{v} API - production summarization feature",
    "{v} - enterprise tier inference", "{v} project: production-app {mon}",
    "{v} - {model} in shipped product",
    "{v} - customer document processing",
)
_LLM_SEATS = (
    "{v} - {n} seats", "{v} subscription {mon}", "{v} - staff licenses", "{v} monthly plan",
    "{v} for sales & ops team", "{v} Team plan renewal", "{v} - annual seats", "{v} - exec assistant seats",
)
_DEVPLATFORM = (
    "{v} - Actions minutes + storage", "{v} Team - {n} seats (source hosting)",
    "{v} - hosted CI runners {mon}",
    "{v} - build minutes", "{v} dynos - staging/review apps", "{v} - Codespaces usage",
    "{v} Enterprise - repos & CI", "{v} - preview deployments for dev branches",
    "{v} invoice {inv} - CI pipeline compute", "{v} - large runners (GPU tests)", "{v} - {mon} {yr}",
    "{v} - dev environment hosting", "{v} - build cluster credits", "{v} - pipeline minutes overage",
    "{v} - test runners for firmware CI", "{v} - hosted dev environments",
)
_DEV_LICENSE = (
    "{v} - {n} seat licenses", "{v} annual subscription renewal", "{v} - per-user plan {mon}",
    "{v} license - engineering", "{v} - named user licenses ({n})", "{v} IDE subscription",
    "{v} - monitoring subscription", "{v} Pro plan", "{v} - maintenance & support renewal",
    "{v} - team plan {mon}", "{v} - perpetual license upgrade", "{v} - floating licenses",
    "{v} - design tool seats", "{v} subscription - {n} users",
)
_GA_SOFTWARE = (
    "{v} subscription", "{v} - {mon} {yr}", "{v} monthly plan", "{v} - annual renewal", "{v} - {n} users",
    "{v} Business plan", "{v} Pro - team", "{v} invoice {inv}", "{v} - company workspace", "{v} renewal",
    "{v} seats added", "{v} - {mon}",
)
_CONTRACT_US = (
    "{v} - {person} ({city}, {state}) - {proj} prototype",
    "{v} contract - {person}, ML engineer (US) - experiments",
    "{person} - model evaluation framework dev, SOW #{n}",
    "{v} invoice {inv} - {person} - research prototype, {state}",
    "Contractor {person} ({state}) - algorithm R&D {mon}",
    "{v} - US-based contractor {person}: retrieval experiments",
    "{person} - 1099 - prototype firmware development",
    "{v} milestone - {person} ({city}) - feasibility study",
    "{v} - {person}, applied scientist, hours {mon}",
    "SOW {n} - {person} - new architecture testing (US)",
    "{v} - {person} ({state}) - signal processing experiments",
    "{person} ({city}, {state}) - control algorithm development",
    "{v} - {person} - model training experiments, {city}",
    "{person} - {mon} hours - novel ranking approach (US)",
)
_CONTRACT_FOREIGN = (
    "{v} - {person} ({country}) - {proj} development", "{v} contractor payment - {person}, {country}",
    "{v} invoice {inv} - offshore dev team ({country})", "{person} - {country} - ML engineering {mon}",
    "{v} - {country} contractor - model experiments", "Wire to {person} ({country}) - prototype work",
    "{v} EOR - {person} - {country}", "{v} - nearshore team {country} - sprint {n}",
    "{v} - {person}, {city} {country} - algorithm R&D", "{person} ({city}) - firmware prototype, {mon}",
    "{v} - {country}-based engineer {person}", "International contractor {person} - {country} - {mon}",
)
_CONTRACT_NONRESEARCH = (
    "{v} - {person} - marketing site redesign", "{v} - bookkeeping support {mon}",
    "{v} - {person} - customer support coverage", "{person} - recruiting contractor",
    "{v} - logo and brand design", "{v} - SEO content writing", "{person} - sales consulting {mon}",
    "{v} - data entry", "{v} - IT helpdesk", "{person} - executive assistant", "{v} - video editing",
    "{v} - WordPress maintenance", "{v} - {person} - social media management", "{person} - HR consulting",
    "{v} - translation services", "{v} - {person} - onboarding of customer accounts",
)
_RESEARCH_US = (
    "{v} - sponsored research agreement, {proj}", "{v} - feasibility study phase {n}",
    "{v} invoice {inv} - preclinical study {proj}", "{v} - engineering prototype development, milestone {n}",
    "{v} - assay development", "{v} - in vivo efficacy study", "{v} - research services {mon}",
    "{v} - design of experiments, SOW {n}", "{v} - formulation development", "{v} - PK study, candidate {n}",
    "{v} - materials research collaboration", "{v} - algorithm research agreement, year {n}",
)
_RESEARCH_FOREIGN = (
    "{v} - preclinical study ({country})", "{v} - chemistry services, {country}",
    "{v} invoice {inv} - research collaboration, {country}", "{v} - lead optimization, {country} site",
    "{v} - sponsored research ({country})", "{v} - synthesis of analogs, {country}",
    "{v} - research services {mon}", "{v} - in vitro screening ({country})",
    "{v} - feasibility study phase {n}",
    "{v} - assay development, {country} lab",
)
_ANNOTATION_BENCHMARK = (
    "{v} - annotation of evaluation benchmark ({n}k items), rights retained",
    "{v} - expert-labeled test set for {proj} experiments", "{v} - gold eval set labeling, US annotators",
    "{v} SOW {n} - benchmark cohort for model comparison", "{v} - attorney-labeled QA triples for eval",
    "{v} - labeled holdout set for ablations", "{v} - clinician annotations, evaluation cohort",
    "{v} - preference data for reward-model experiments",
)
_ROUTINE_LABELING = (
    "{v} - production data labeling {mon}", "{v} - content moderation queue",
    "{v} - routine labeling, tickets",
    "{v} - ongoing annotation ops", "{v} - labeling for customer deliverable",
    "{v} - data entry & tagging {mon}",
    "{v} - catalog categorization", "{v} - transcription services {mon}",
)
_TEST_VALIDATION = (
    "{v} - thermal testing of prototype rev {n}", "{v} - vibration/shock testing, design alternatives",
    "{v} - EMC pre-scan of EVT units", "{v} - material characterization study",
    "{v} - biocompatibility testing, prototype design", "{v} - fatigue testing of candidate designs",
    "{v} - drop testing, enclosure iterations", "{v} - accelerated life test, new cell chemistry",
    "{v} - corrosion study on coating options", "{v} - pre-compliance testing of alpha units",
)
_CERT_QC = (
    "{v} - product safety certification", "{v} - FCC compliance certification", "{v} - annual factory audit",
    "{v} - production lot inspection", "{v} - ISO 9001 surveillance audit", "{v} - listing renewal",
    "{v} - incoming inspection, production parts", "{v} - CE marking file review",
    "{v} - batch release testing", "{v} - quarterly follow-up inspection",
)
_PARTS_PROTO = (
    "{v} - parts for {proj} prototype", "{v} order {po} - EVT build components",
    "{v} - breadboard parts, sensor testing", "{part} for test fixture - {v}", "{v} - prototype PCB rev {n}",
    "{v} - materials for design iteration {n}", "{v} - {part} samples for evaluation",
    "{v} - R&D bench components", "{v} quick-turn machined parts - prototype", "{v} - alpha unit build",
    "{v} - {part} for experiment rig", "{v} - DVT build parts", "{v} - {part} for proof of concept",
    "{v} - test coupons, new alloy trial", "{v} - sample parts for design review",
    "Prototype parts - {v} {po}",
)
_PARTS_INVENTORY = (
    "{v} - production BOM replenishment", "{v} PO {po} - inventory", "{v} - {part} for production run {n}",
    "{v} - components for customer orders", "{v} - stock replenishment", "{v} - materials for shipped units",
    "{v} PO {po} - lot {n} manufacturing", "{v} - spare parts inventory", "{v} - {n} units {part} for resale",
    "{v} - MRO supplies, production line", "{v} - packaging materials", "{v} - replacement parts for RMAs",
    "{v} - warranty repair parts", "Inventory receipt {po} - {v}",
)
_LAB_RESEARCH = (
    "{v} - {reagent} for {proj} experiments", "{v} order {po} - research reagents",
    "{v} - {reagent}, assay development", "{v} - lab consumables (R&D)",
    "{v} - {reagent} for screening study",
    "{v} - cell culture media, discovery", "{v} - {reagent} - target validation",
    "{v} - consumables for pilot experiments", "{v} - {reagent} for knockout study",
    "{v} - research antibodies",
    "{v} - {reagent}, protocol optimization", "{v} - custom oligos for {proj}",
)
_LAB_PRODUCTION = (
    "{v} - {reagent} for QC lot release", "{v} - production batch materials",
    "{v} - commercial manufacturing consumables", "{v} - QC testing supplies",
    "{v} - {reagent} for commercial kit production", "{v} - routine stability testing (released product)",
    "{v} - reagents for CLIA testing service", "{v} - consumables, commercial lab",
)
_EQUIPMENT = (
    "{v} - {equip} (capitalized)", "{v} - {equip} purchase", "{v} - laptops for new hires ({n})",
    "{v} - {equip} for lab", "{v} - {gpu} server", "{v} - monitors and docks", "{v} - {equip}, asset tag {n}",
    "{v} - replacement laptop", "{v} - {equip} for R&D lab (fixed asset)", "{v} - workstation for ML team",
)
_DEPRECIATION = (
    "Depreciation - {equip}", "Monthly depreciation {mon}", "Depreciation expense {mon} {yr}",
    "To record depreciation", "Depreciation - lab equipment", "Depreciation - computer equipment",
    "Amortization of capitalized software", "Depreciation - GPU servers",
)
_PAYROLL = (
    "Payroll {mm}/{dd}/{yr}", "{v} payroll", "Payroll - engineering team {mon}", "Salaries - R&D {mon} {yr}",
    "To correct coding of {mon} monthly payroll", "move 1/3 salaries to R&D", "Bonus accrual Q{q}",
    "Payroll run {mm}/{dd}", "Net pay {mm}/{dd}/{yr}", "Accrued payroll {mon}",
    "Reclass engineering salaries to R&D", "Commission payout {mon}", "PTO accrual adjustment",
    "{v} {mm}/{dd} payroll - research staff", "Payroll", "Wages - ML researchers {mon}",
)
_PAYROLL_TAX = (
    "{v} tax {mm}/{dd}", "Employer taxes {mon}", "Payroll taxes {mm}/{dd}/{yr}", "FUTA/SUTA {mon}",
    "{v} - employer FICA", "Payroll tax adjustment Q{q}",
)
_BENEFITS = (
    "{v} premium {mon}", "Medical premium - {mon} {yr}", "401(k) employer match {mon}", "{v} - dental/vision",
    "Benefits admin fee {mon}", "{v} - workers comp", "Health insurance {mon}",
)
_FACILITIES = (
    "{v} - rent {mon}", "{v} - office membership {mon}", "{v} - electric service {mon}",
    "{v} internet {mon}", "{v} - phone bill", "Lab rent - {mon}", "{v} - utilities for R&D lab",
    "{v} - janitorial", "CAM charges {mon}", "{v} - suite {n} rent", "{v} - HVAC repair", "{v} {mon} {yr}",
)
_TRAVEL = (
    "{v} - flight to customer onsite", "{v} - conference travel", "{v} - hotel, offsite",
    "{v} - team offsite travel", "{v} trip", "{v} - travel for research conference", "{v} - sales trip",
    "{v} - lodging, recruiting event", "{v} - airfare, board meeting", "{v} - engineering team travel",
)
_MEALS = (
    "{v} - team lunch", "{v} - client dinner", "{v} - engineering offsite meals", "{v}", "{v} - snacks",
    "{v} - lunch meeting", "{v} - hackathon food", "{v} - R&D team dinner", "{v} - coffee with candidate",
)
_TRAINING = (
    "{v} - conference registration", "{v} - job posting", "{v} - recruiting subscription",
    "{v} - research conference pass", "{v} - courses for engineers", "{v} - team training",
    "{v} - hiring plan {mon}", "{v} - workshop fees",
)
_MARKETING = (
    "{v} - campaign {mon}", "{v} ads", "{v} - paid social {mon}", "{v} - sponsored content",
    "{v} - trade show booth", "{v} - brand campaign", "{v} - lead gen", "{v} {mon} {yr}",
)
_PROFESSIONAL = (
    "{v} - legal services {mon}", "{v} - financing docs", "{v} - annual audit", "{v} - tax preparation",
    "{v} - bookkeeping {mon}", "{v} - patent filing", "{v} - contract review", "{v} - 409A valuation",
    "{v} - R&D credit study", "{v} invoice {inv}",
)
_PAYMENT_FEES = (
    "{v} fees {mon}", "{v} processing fees", "{v} - transaction fees", "{v} annual fee", "{v} - payout fee",
    "Merchant fees {mon}", "{v} - chargeback fee",
)
_BANK_CHARGES = (
    "{v} - service charge", "{v} - wire fee", "Monthly maintenance fee", "{v} - interest {mon}",
    "Outgoing wire fee", "{v} - analysis charge", "International wire fee",
)
_OFFICE = (
    "{v} - office supplies", "{v} - printer paper and toner", "{v} - kitchen supplies", "{v} - desk chairs",
    "{v} - cleaning supplies", "{v} - snacks for office", "{v} - notebooks and pens", "{v} - shipping boxes",
    "{v} - batteries and cables", "{v} - breakroom supplies",
)
_INSURANCE = ("{v} - GL policy", "{v} - D&O premium", "{v} - cyber policy {yr}", "{v} premium",
              "{v} - BOP renewal")
_TAXES = ("{v} - franchise tax {yr}", "{v} - annual report fee", "{v} - estimated tax Q{q}",
          "{v} - sales tax",
          "{v} - business license")
_SHIPPING = ("{v} - shipping", "{v} - overnight delivery", "{v} - label", "{v} - customer shipment",
             "{v} - freight {po}", "{v} - returns shipping")
_COMMERCE = (
    "{v} - platform fees {mon}", "{v} - wholesale order {po}", "{v} - goods for resale",
    "{v} - fulfillment {mon}",
    "{v} - engine royalties Q{q}", "{v} - store fees", "{v} - stock assets for client project",
    "{v} - client site hosting", "{v} - print on demand", "{v} - inventory order {po}",
)
_BALANCE_SHEET = (
    "move s/h dist to s/h loans no dist w/negative r/e", "System-recorded deposit for QuickBooks Payments",
    "Paid via QuickBooks Payments", "Transfer to savings", "Prepaid annual subscription", "Prepaid insurance",
    "Owner contribution", "Loan to founder", "Reclass to prepaid", "Deposit - office lease",
    "Opening balance",
    "Prepaid cloud commitment (annual)", "Accrued expenses {mon}", "Reverse accrual {mon}",
)


SCENARIOS: dict[str, Scenario] = {s.id: s for s in (
    Scenario("cloud_dev", "CR-CLOUD-DEV", "cloud",
       (("rd_cloud", 6), ("rd_general", 1.5), ("cloud_generic", 4), ("software_subs", 1.5), ("uncategorized",
                                                                                             .2)),
       _CLOUD_DEV, .6, (2400, 1.2), 18, "computer_rental", (1, 2)),
    Scenario("cloud_prod", "NQ-CLOUD-PROD", "cloud",
       (("hosting_cogs", 6), ("cloud_generic", 4), ("software_subs", 1.5), ("rd_cloud", .4), ("rd_general",
                                                                                              .2)),
       _CLOUD_PROD, .6, (5200, 1.2), 24, "computer_rental", (1, 2)),
    Scenario("gpu_train", "CR-GPU-TRAIN", "gpu",
       (("rd_cloud", 6), ("rd_general", 2), ("cloud_generic", 3), ("software_subs", .5)),
       _GPU_TRAIN, .65, (8000, 1.3), 10, "computer_rental", (1, 2)),
    Scenario("gpu_serve", "NQ-GPU-SERVE", "gpu",
       (("hosting_cogs", 4), ("api_cogs", 3), ("cloud_generic", 3), ("rd_cloud", .4)),
       _GPU_SERVE, .65, (12000, 1.2), 10, "computer_rental", (1, 2)),
    Scenario("llm_eval", "CR-LLM-EVAL", "llm_api",
       (("rd_cloud", 3), ("rd_software", 2), ("rd_general", 2), ("software_subs", 3), ("cloud_generic", 1.5)),
       _LLM_EVAL, .6, (900, 1.3), 10, "computer_rental", (1, 2)),
    Scenario("llm_inference", "NQ-LLM-INFERENCE", "llm_api",
       (("api_cogs", 5), ("hosting_cogs", 3), ("software_subs", 3), ("cloud_generic", 2), ("rd_software",
                                                                                           .3)),
       _LLM_INFERENCE, .6, (3500, 1.3), 14, "computer_rental", (1, 2)),
    Scenario("llm_seats", "NQ-LLM-SEATS", "chat_seats",
       (("software_subs", 6), ("rd_software", 1.5), ("office_supplies", .5)),
       _LLM_SEATS, .5, (300, .8), 10, "computer_rental", (1, 1)),
    Scenario("devplatform", "CR-DEVPLATFORM", "devplatform",
       (("rd_software", 4), ("software_subs", 5), ("cloud_generic", 2), ("rd_cloud", 1), ("rd_general", 1)),
       _DEVPLATFORM, .55, (450, 1.0), 16, "computer_rental", (1, 2)),
    Scenario("dev_license", "NQ-SOFTWARE-LICENSE", "dev_license",
       (("rd_software", 4), ("software_subs", 6), ("rd_general", 1)),
       _DEV_LICENSE, .55, (600, 1.1), 24, "computer_rental", (2, 4)),
    Scenario("ga_software", "NQ-GA-SOFTWARE", "ga_software",
       (("software_subs", 8), ("office_supplies", 1), ("marketing", 1), ("cloud_generic", 1), ("rd_software",
                                                                                               .3)),
       _GA_SOFTWARE, .5, (180, 1.1), 150, "computer_rental", (6, 12)),
    Scenario("contractor_us", "CON-US-RESEARCH", "contractor",
       (("contractors_rd", 6), ("contract_labor", 5), ("professional_fees", 1), ("rd_general", 1.5)),
       _CONTRACT_US, .7, (7500, .8), 12, "contract_research", (1, 3)),
    Scenario("contractor_foreign", "NQ-CONTRACT-FOREIGN", "contractor",
       (("contractors_rd", 6), ("contract_labor", 5), ("professional_fees", 1), ("rd_general", 1.5)),
       _CONTRACT_FOREIGN, .7, (3800, .8), 12, "contract_research", (1, 3)),
    Scenario("contractor_nonresearch", "NQ-CONTRACT-NONRESEARCH", "contractor",
       (("contract_labor", 6), ("marketing", 2), ("professional_fees", 2), ("contractors_rd", .5)),
       _CONTRACT_NONRESEARCH, .7, (2200, .9), 14, "contract_research", (1, 3)),
    Scenario("research_us", "CON-RESEARCH-FIRM", "research_us",
       (("contractors_rd", 5), ("rd_general", 3), ("professional_fees", 1), ("contract_labor", 1)),
       _RESEARCH_US, .65, (28000, 1.0), 4, "contract_research", (1, 2)),
    Scenario("research_foreign", "NQ-RESEARCH-FOREIGN", "research_foreign",
       (("contractors_rd", 5), ("rd_general", 3), ("professional_fees", 1), ("contract_labor", 1)),
       _RESEARCH_FOREIGN, .65, (24000, 1.0), 3, "contract_research", (1, 2)),
    Scenario("annotation_benchmark", "CON-ANNOTATION-BENCHMARK", "labeling",
       (("contractors_rd", 4), ("rd_general", 3), ("contract_labor", 2), ("software_subs", 1)),
       _ANNOTATION_BENCHMARK, .7, (9000, .9), 3, "contract_research", (1, 1)),
    Scenario("routine_labeling", "NQ-ROUTINE-LABELING", "labeling",
       (("cogs_other", 4), ("contract_labor", 4), ("software_subs", 1), ("contractors_rd", .5)),
       _ROUTINE_LABELING, .7, (6000, .9), 6, "contract_research", (1, 1)),
    Scenario("test_validation", "CON-TEST-VALIDATION", "test_lab",
       (("outside_testing", 4), ("rd_general", 3), ("contractors_rd", 2), ("professional_fees", 1)),
       _TEST_VALIDATION, .7, (6500, 1.0), 4, "contract_research", (1, 2)),
    Scenario("cert_qc", "NQ-CERT-QC", "test_lab",
       (("outside_testing", 4), ("cogs_other", 3), ("professional_fees", 2), ("taxes_licenses", 1)),
       _CERT_QC, .7, (4800, 1.0), 5, "contract_research", (1, 2)),
    Scenario("parts_proto", "SUP-PROTOTYPE", "parts",
       (("rd_materials", 6), ("rd_general", 2), ("office_supplies", 1.5), ("cogs_materials", .3),
        ("uncategorized", .3)),
       _PARTS_PROTO, .6, (650, 1.2), 30, "supplies", (2, 4)),
    Scenario("parts_inventory", "NQ-PARTS-INVENTORY", "parts",
       (("cogs_materials", 6), ("inventory", 4), ("rd_materials", .4), ("office_supplies", .5)),
       _PARTS_INVENTORY, .6, (2400, 1.3), 45, "supplies", (2, 4)),
    Scenario("lab_research", "SUP-LAB-RESEARCH", "lab",
       (("lab_supplies", 6), ("rd_materials", 2), ("rd_general", 2), ("office_supplies", .5)),
       _LAB_RESEARCH, .55, (850, 1.1), 40, "supplies", (3, 6)),
    Scenario("lab_production", "NQ-LAB-PRODUCTION", "lab",
       (("qc_supplies", 5), ("cogs_materials", 4), ("lab_supplies", 1.5)),
       _LAB_PRODUCTION, .65, (1100, 1.1), 25, "supplies", (2, 4)),
    Scenario("equipment", "NQ-DEPRECIABLE", "equipment",
       (("fixed_equipment", 5), ("computer_hw", 4), ("rd_general", 1), ("office_supplies", 1),
        ("rd_materials", .4)),
       _EQUIPMENT, .6, (3500, 1.2), 10, "supplies", (1, 3)),
    Scenario("depreciation", "NQ-DEPRECIABLE", "", (("depreciation", 1),), _DEPRECIATION, 1, (2200, .8), 12),
    Scenario("payroll", "NQ-WAGES", "payroll", (("wages_rd", 3), ("wages_ga", 4)), _PAYROLL, .6, (42000, .6),
             52,
       "supplies", (1, 1)),
    Scenario("payroll_tax", "NQ-WAGES", "payroll", (("payroll_tax", 1),), _PAYROLL_TAX, .5, (6500, .6), 26,
       "supplies", (1, 1)),
    Scenario("benefits", "NQ-WAGES", "benefits", (("benefits", 1),), _BENEFITS, .5, (5200, .7), 24,
             "supplies", (1, 2)),
    Scenario("facilities", "NQ-FACILITIES", "facilities",
       (("rent", 4), ("utilities", 5), ("rd_general", .3), ("lab_supplies", .2)),
       _FACILITIES, .5, (1800, 1.3), 50, "supplies", (3, 5)),
    Scenario("travel", "NQ-TRAVEL-MEALS", "travel", (("travel", 8), ("rd_general", .6), ("meals", .5)),
       _TRAVEL, .45, (420, 1.0), 90, "supplies", (4, 7)),
    Scenario("meals", "NQ-TRAVEL-MEALS", "meals", (("meals", 8), ("office_supplies", 1), ("rd_general", .4)),
       _MEALS, .4, (85, 1.0), 120, "supplies", (4, 7)),
    Scenario("training", "NQ-GA-OTHER", "recruiting",
       (("recruiting", 6), ("travel", 1), ("rd_general", .6), ("software_subs", 1)),
       _TRAINING, .55, (700, 1.1), 18, "supplies", (2, 4)),
    Scenario("marketing", "NQ-MARKETING", "marketing", (("marketing", 8), ("software_subs", 1)),
       _MARKETING, .5, (1500, 1.3), 45, "supplies", (3, 6)),
    Scenario("professional", "NQ-PROFESSIONAL-FEES", "professional", (("professional_fees", 8),),
       _PROFESSIONAL, .55, (4500, 1.1), 18, "contract_research", (2, 4)),
    Scenario("payment_fees", "NQ-FINANCE", "payments", (("bank_fees", 6), ("cogs_other", 1.5)),
       _PAYMENT_FEES, .5, (220, 1.3), 28, "supplies", (1, 3)),
    Scenario("bank_charges", "NQ-FINANCE", "bank", (("bank_fees", 6), ("interest", 1)),
       _BANK_CHARGES, .5, (45, 1.0), 14, "supplies", (1, 2)),
    Scenario("office", "NQ-OFFICE-SUPPLIES", "office",
       (("office_supplies", 8), ("uncategorized", .5), ("rd_general", .2)),
       _OFFICE, .55, (140, 1.0), 40, "supplies", (2, 4)),
    Scenario("insurance", "NQ-GA-OTHER", "insurance", (("insurance", 6),), _INSURANCE, .5, (1900, 1.0), 12,
       "supplies", (1, 2)),
    Scenario("taxes", "NQ-GA-OTHER", "government", (("taxes_licenses", 5), ("payroll_tax", 1)), _TAXES, .5,
       (800, 1.2), 6, "supplies", (1, 3)),
    Scenario("shipping", "NQ-GA-OTHER", "shipping", (("shipping", 6), ("cogs_other", 2), ("office_supplies",
                                                                                          .5)),
       _SHIPPING, .5, (60, 1.1), 20, "supplies", (1, 2)),
    Scenario("commerce", "NQ-COGS-OTHER", "commerce",
       (("cogs_other", 5), ("cogs_materials", 3), ("inventory", 2), ("software_subs", 1)),
       _COMMERCE, .55, (2600, 1.3), 40, "supplies", (2, 4)),
    Scenario("balance_sheet", "NQ-BALANCE-SHEET", "",
       (("undeposited", 3), ("shareholder_loan", 1), ("prepaid", 2), ("accrued", 2), ("equity", 1)),
       _BALANCE_SHEET, 1, (9000, 1.4), 20),
)}

INDUSTRIES: dict[str, str] = {
    "ai": "AI/ML software",
    "saas": "Software (SaaS)",
    "biotech": "Biotechnology",
    "meddev": "Medical devices",
    "manufacturing": "Manufacturing",
    "hardware": "Computer hardware & electronics",
    "robotics": "Robotics",
    "fintech": "Financial technology",
    "games": "Video games",
    "agency": "Marketing agency",
    "retail": "Retail & e-commerce",
    "services": "Professional services",
}

# The order companies are given industries in: AI/ML companies are Fourpart's main users.
INDUSTRY_CYCLE = ("ai", "saas", "biotech", "ai", "hardware", "fintech", "meddev", "ai", "robotics",
                  "manufacturing", "games", "saas", "ai", "agency", "retail", "biotech", "ai", "services",
                  "saas", "hardware")

# Scenarios every company has at weight 1 unless its industry says otherwise.
GENERAL = ("ga_software", "payroll", "payroll_tax", "benefits", "facilities", "travel", "meals", "training",
           "marketing", "professional", "payment_fees", "bank_charges", "office", "insurance", "taxes",
           "shipping", "balance_sheet", "depreciation", "equipment", "llm_seats", "contractor_nonresearch")

_CONTRACT = {"contractor_us": 1, "contractor_foreign": 1}
INDUSTRY_WEIGHTS: dict[str, dict[str, float]] = {
    "ai": {"cloud_dev": 1.4, "cloud_prod": 1.2, "gpu_train": 1.5, "gpu_serve": 1, "llm_eval": 1.4,
           "llm_inference": 1.3, "devplatform": 1, "dev_license": 1, **_CONTRACT,
           "contractor_nonresearch": .6,
           "research_us": .4, "research_foreign": .2, "annotation_benchmark": 1, "routine_labeling": 1},
    "saas": {"cloud_dev": 1, "cloud_prod": 1.4, "gpu_train": .2, "gpu_serve": .2, "llm_eval": .4,
             "llm_inference": .6, "devplatform": 1, "dev_license": 1.2, **_CONTRACT,
             "annotation_benchmark": .1,
             "routine_labeling": .2},
    "biotech": {"lab_research": 1.2, "lab_production": .6, "research_us": 1.5, "research_foreign": 1,
                "cloud_dev": .4, "cloud_prod": .1, "devplatform": .2, "dev_license": .4, "contractor_us": .5,
                "contractor_foreign": .3, "equipment": 1.5, "test_validation": .2, "facilities": 1.3,
                "llm_seats": .5},
    "meddev": {"parts_proto": 1, "parts_inventory": .8, "lab_research": .4, "lab_production": .4,
               "test_validation": 1, "cert_qc": 1, "research_us": .5, "research_foreign": .2,
               "contractor_us": .6, "contractor_foreign": .4, "cloud_dev": .2, "dev_license": .6,
               "llm_seats": .5},
    "manufacturing": {"parts_proto": .6, "parts_inventory": 1.6, "test_validation": .6, "cert_qc": 1,
                      "contractor_us": .3, "contractor_foreign": .3, "dev_license": .4, "equipment": 1.3,
                      "commerce": .3, "cloud_prod": .2, "llm_seats": .3},
    "hardware": {"parts_proto": 1.3, "parts_inventory": 1.2, "test_validation": .8, "cert_qc": .8,
                 "contractor_us": .8, "contractor_foreign": .8, "cloud_dev": .5, "cloud_prod": .4,
                 "devplatform": .6, "dev_license": 1, "gpu_train": .2},
    "robotics": {"parts_proto": 1.3, "parts_inventory": .6, "gpu_train": .8, "cloud_dev": .8,
                 "cloud_prod": .3,
                 "devplatform": .8, "dev_license": .8, "contractor_us": 1, "contractor_foreign": .6,
                 "test_validation": .5, "cert_qc": .4, "annotation_benchmark": .5, "routine_labeling": .6,
                 "llm_eval": .3},
    "fintech": {"cloud_dev": .8, "cloud_prod": 1.4, "devplatform": .9, "dev_license": 1, "contractor_us": .8,
                "contractor_foreign": .9, "llm_eval": .3, "llm_inference": .4, "payment_fees": 2},
    "games": {"cloud_dev": .7, "cloud_prod": 1.2, "devplatform": .8, "dev_license": 1, "contractor_us": .6,
              "contractor_foreign": 1.2, "contractor_nonresearch": 1, "commerce": 1, "gpu_train": .1,
              "marketing": 1.5},
    "agency": {"cloud_prod": .8, "cloud_dev": .15, "devplatform": .3, "contractor_nonresearch": 2,
               "contractor_us": .15, "contractor_foreign": 1, "commerce": .8, "marketing": 1.5,
               "ga_software": 1.2,
               "equipment": .5},
    "retail": {"commerce": 2.5, "parts_inventory": .4, "cloud_prod": .2, "contractor_nonresearch": .8,
               "contractor_foreign": .3, "marketing": 2, "shipping": 2.5, "payment_fees": 2, "equipment": .4},
    "services": {"contractor_nonresearch": 1.2, "contractor_foreign": .4, "professional": 1.5, "travel": 1.8,
                 "meals": 1.3, "ga_software": 1.2, "cloud_prod": .1, "equipment": .5},
}

QUALIFYING_SCENARIOS = frozenset(
    ("cloud_dev", "gpu_train", "llm_eval", "devplatform", "contractor_us", "research_us",
     "annotation_benchmark",
     "test_validation", "parts_proto", "lab_research"))

FOREIGN_VENDOR_COUNTRY = {
    "WuXi AppTec": "China", "Syngene International": "India", "Pharmaron": "China",
    "University of Toronto": "Canada", "ETH Zurich": "Switzerland", "Evotec": "Germany",
    "Aragen Life Sciences": "India", "ChemPartner": "China", "University of Waterloo": "Canada",
    "Technion": "Israel",
}


def industry_weights(industry: str) -> dict[str, float]:
    """Scenario weights for an industry: its own, over the general ones."""
    weights = dict.fromkeys(GENERAL, 1.0)
    weights.update(INDUSTRY_WEIGHTS[industry])
    return weights
