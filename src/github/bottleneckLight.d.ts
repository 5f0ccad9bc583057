// bottleneck/light.js is the build of Bottleneck that Octokit's throttling plugin loads (no Redis
// clustering): using it adds no module to the bot's memory. The package types only its main entry,
// whose API the light build shares.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
