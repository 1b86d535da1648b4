import { describeModel } from '../../support/model/driver.js';
import { jointProposalModel } from '../../support/model/joint-proposal.model.js';

describeModel(jointProposalModel);
